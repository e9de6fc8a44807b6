// `usagetop wave [--json] [--wait] [--override] [--loop [--max-waves N]] [-- CMD ...]` (SPEC 4).
// Exit codes: 0 go (or switched), 75 paused (EX_TEMPFAIL), 69 no usable data with
// on_unknown = "pause" (EX_UNAVAILABLE), 1 usage error; with a command, the command's own code
// (128 + signal when it was killed). The policy is src/wave/policy.ts; the loop src/wave/gate.ts.
import type { Config } from "../config/config.js";
import { switchSlot } from "../slots/switch.js";
import { collectStore } from "../store/collect.js";
import { realSleep, runChild, signalExitCode, ttyCountdown, WaveGate, waveEnv, type GateDeps, type SwitchResult } from "../wave/gate.js";
import { decisionLine, waveDocument, wavePolicy, type WaveDecision } from "../wave/policy.js";
import { slotFitness } from "../wave/input.js";
import { loadProbe, saveProbe } from "../wave/probe-state.js";
import type { CommandContext } from "./context.js";

export const EXIT_GO = 0;
export const EXIT_USAGE = 1;
export const EXIT_NO_DATA = 69;
export const EXIT_PAUSED = 75;

const USAGE = "usage: usagetop wave [--json] [--wait] [--override] [--loop [--max-waves N]] [-- CMD ARGS...]";

/** USAGETOP_WAVE_OVERRIDE: the usual spellings of on and off; anything else is a usage error. */
export function overrideFromEnv(value: string | undefined): { on: boolean } | { error: string } {
  if (value === undefined) return { on: false };
  const v = value.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return { on: true };
  if (["", "0", "false", "no", "off"].includes(v)) return { on: false };
  return { error: `USAGETOP_WAVE_OVERRIDE: expected 1 or 0 (true/false, yes/no, on/off), got ${JSON.stringify(value)}` };
}

function usageProblem(ctx: CommandContext): string | null {
  const { flags, args, rest } = ctx;
  if (args.length > 0) return `wave takes no arguments (got ${JSON.stringify(args[0])}); put the command after --: usagetop wave -- CMD ...`;
  if (flags.loop && rest.length === 0) return "--loop needs a command after --";
  if (flags.maxWaves !== undefined) {
    if (!flags.loop) return "--max-waves needs --loop";
    if (!Number.isInteger(flags.maxWaves) || flags.maxWaves < 1) return `--max-waves: expected a positive integer, got ${String(flags.maxWaves)}`;
  }
  return null;
}

function switcher(config: Config, ctx: CommandContext, now: () => Date): GateDeps["switchTo"] {
  if (config.demo) return async (): Promise<SwitchResult> => ({ ok: true, note: "demo: no credentials were touched" });
  return async (target, reason): Promise<SwitchResult> => {
    const o = await switchSlot({ config, target, by: "wave", reason, now });
    for (const w of o.warnings) ctx.stderr.write(`usagetop: warning: ${w}\n`);
    if (o.status === "switched" || o.status === "unchanged") return { ok: true, note: o.headline };
    return { ok: false, why: o.headline };
  };
}

/**
 * The gate's clock. A clock pinned with USAGETOP_NOW (tests, reproducible output) still has to
 * move while the gate waits, or a pause would never end: it runs on from the pinned instant.
 * The real wall clock is used as is (a monotonic clock would stand still while a laptop sleeps).
 */
function gateClock(ctx: CommandContext): () => Date {
  if (!ctx.env.USAGETOP_NOW) return ctx.now;
  const base = ctx.now().getTime();
  const started = performance.now();
  return () => new Date(base + (performance.now() - started));
}

export default async function run(ctx: CommandContext): Promise<number> {
  const problem = usageProblem(ctx);
  if (problem) {
    ctx.stderr.write(`usagetop: ${problem}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const fromEnv = overrideFromEnv(ctx.env.USAGETOP_WAVE_OVERRIDE);
  if ("error" in fromEnv) {
    ctx.stderr.write(`usagetop: ${fromEnv.error}\n`);
    return EXIT_USAGE;
  }
  const override = ctx.flags.override ? "--override" : fromEnv.on ? "USAGETOP_WAVE_OVERRIDE=1" : null;
  const config = ctx.config();
  const policy = wavePolicy(config.file.wave);
  const timeZone = config.timezone ?? undefined;
  const command = ctx.rest;
  const waiting = ctx.flags.wait || command.length > 0;
  const now = gateClock(ctx);

  const controller = new AbortController();
  let child: ReturnType<typeof runChild> | null = null;
  let received: NodeJS.Signals | null = null;
  const onSignal = (sig: NodeJS.Signals) => {
    received ??= sig;
    // While the wave runs the signal is the child's to handle; we exit with its code after.
    if (child) child.kill(sig);
    else controller.abort();
  };
  const countdown = waiting && ctx.stderr.isTTY === true ? ttyCountdown(ctx.stderr, timeZone) : null;
  const warned = new Set<string>();
  const warnOnce = (w: string | null) => {
    if (w && !warned.has(w)) {
      warned.add(w);
      ctx.stderr.write(`usagetop: ${w}\n`);
    }
  };
  const gate = new WaveGate({
    policy,
    intervalSeconds: config.interval,
    preference: [config.slots.primary, ...(config.slots.fallbackOrder ?? [])].filter((s): s is string => s !== null),
    override,
    now,
    sleep: realSleep,
    collect: (now) => {
      // --debug shows each read, so the poll cadence can be checked from outside.
      if (config.debug) ctx.stderr.write(`usagetop: debug: wave read at ${now.toISOString()}\n`);
      return collectStore(config, { now });
    },
    // Slot health is only needed to pick a switch target; without switching, no credentials file is read.
    fitness: !policy.switch ? () => "[wave] switch is off" : slotFitness,
    switchTo: switcher(config, ctx, now),
    probes: {
      load: (slot, now) => {
        const r = loadProbe(config.paths.stateDir, slot, now);
        warnOnce(r.warning);
        return r.probe;
      },
      save: (slot, probe, now) => warnOnce(saveProbe(config.paths.stateDir, slot, probe, now)),
    },
    ...(countdown ? { onTick: countdown.tick } : {}),
    signal: controller.signal,
  });

  const print = (d: WaveDecision, stream: NodeJS.WritableStream, compact: boolean) => {
    if (ctx.flags.json) stream.write(`${JSON.stringify(waveDocument(d), null, compact ? undefined : 2)}\n`);
    else stream.write(`${compact ? "usagetop: " : ""}${decisionLine(d, now(), timeZone)}\n`);
  };
  const exitFor = (d: WaveDecision, noData: boolean) => (d.action !== "pause" ? EXIT_GO : noData ? EXIT_NO_DATA : EXIT_PAUSED);

  if (!waiting) {
    const v = await gate.evaluate();
    print(v.decision, ctx.stdout, false);
    return exitFor(v.decision, v.noData);
  }

  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const maxWaves = ctx.flags.loop ? (ctx.flags.maxWaves ?? Number.POSITIVE_INFINITY) : 1;
    for (let wave = 1; ; wave++) {
      const outcome = await gate.untilGo();
      countdown?.clear();
      // A signal that came while reading (not sleeping) must not start a wave either.
      if (outcome.kind === "aborted" || received !== null) return signalExitCode(received ?? "SIGINT");
      const decision: WaveDecision =
        outcome.kind === "no_data"
          ? {
              ...outcome.verdict.decision,
              resumeAt: null,
              reason: `${outcome.verdict.decision.cause ?? "no usable data"}; not waiting: no reader can produce data as configured (each is disabled or failing for good)`,
            }
          : outcome.verdict.decision;
      if (command.length === 0) {
        print(decision, ctx.stdout, false);
        return outcome.kind === "no_data" ? EXIT_NO_DATA : EXIT_GO;
      }
      // stdout belongs to the command: the gate speaks on stderr.
      print(decision, ctx.stderr, true);
      if (outcome.kind === "no_data") return EXIT_NO_DATA;
      child = runChild(command, { ...ctx.env, ...waveEnv(decision) }, (m) => ctx.stderr.write(`usagetop: ${m}\n`));
      const code = await child.done;
      child = null;
      if (code !== 0 || received !== null || wave >= maxWaves) return code;
    }
  } finally {
    countdown?.clear();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
