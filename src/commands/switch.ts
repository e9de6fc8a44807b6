// `usagetop switch SLOT [--force] [--dry-run]` (SPEC 5.3). Exit 0 switched (or already there, or
// a dry run that would switch), 75 deferred, 1 refused. The work is in src/slots/switch.ts.
import { switchSlot, type SwitchOutcome } from "../slots/switch.js";
import type { CommandContext } from "./context.js";

export function printOutcome(ctx: Pick<CommandContext, "stdout" | "stderr" | "flags">, o: SwitchOutcome): number {
  if (ctx.flags.json) {
    const { status, exitCode, from, to, headline, notes, warnings, entry } = o;
    ctx.stdout.write(`${JSON.stringify({ status, exitCode, from, to, headline, notes, warnings, entry }, null, 2)}\n`);
    return o.exitCode;
  }
  if (o.status === "refused" || o.status === "deferred") {
    ctx.stderr.write(`usagetop: ${o.headline}\n`);
    for (const w of o.warnings) ctx.stderr.write(`warning: ${w}\n`);
    for (const n of o.notes) ctx.stderr.write(`note: ${n}\n`);
    return o.exitCode;
  }
  ctx.stdout.write(`${o.headline}\n`);
  for (const w of o.warnings) ctx.stdout.write(`warning: ${w}\n`);
  for (const n of o.notes) ctx.stdout.write(`note: ${n}\n`);
  return o.exitCode;
}

/** Under --demo, what would write credentials says what it would do, and touches nothing. */
export function demoWould(ctx: CommandContext, what: string): number {
  ctx.stdout.write(`demo: would ${what}; under --demo no credentials are touched\n`);
  return 0;
}

export default async function run(ctx: CommandContext): Promise<number> {
  const target = ctx.args[0] ?? ctx.flags.slot;
  if (target === undefined || ctx.args.length > 1) {
    ctx.stderr.write("usagetop: switch takes one slot name\nusage: usagetop switch SLOT [--force] [--dry-run]\n");
    return 1;
  }
  const config = ctx.config();
  if (config.demo && config.loadedFrom === null) {
    // The demo has slots but no credentials files: say what a switch would do, touch nothing.
    const { loadDemoScenario } = await import("../readers/demo.js");
    const known = loadDemoScenario().slots.map((s) => s.name);
    if (!known.includes(target)) {
      ctx.stderr.write(`usagetop: refusing to switch to ${JSON.stringify(target)}: unknown slot (known: ${known.join(", ")})\n`);
      return 1;
    }
    return demoWould(ctx, `switch the live credentials to ${target}`);
  }
  const outcome = await switchSlot({
    config,
    target,
    force: ctx.flags.force,
    dryRun: ctx.flags.dryRun,
    by: "cli",
    now: ctx.now,
  });
  return printOutcome(ctx, outcome);
}
