// `usagetop slots [check [--probe] | adopt S | baseline S | reauth S | decide [--execute]]`
// (SPEC 5, 6.1). Thin: the work is in src/slots/; this file parses, prints and picks exit codes.
import type { Config } from "../config/config.js";
import { httpTimeoutMs } from "../readers/anthropic-http.js";
import { adoptLiveFile } from "../slots/adopt.js";
import { baselineSlot } from "../slots/baseline.js";
import { allHealthy, checkSlots, type SlotsReport } from "../slots/check-auth.js";
import { decide, type Decision } from "../slots/decide.js";
import { decideInputs } from "../slots/decide-inputs.js";
import { decidePolicy } from "../slots/decide-policy.js";
import { checkLines, decisionLines, probeText, slotsTable } from "../slots/format.js";
import { readIdentity } from "../slots/identity.js";
import { probeSlotFile, type ProbeOutcome } from "../slots/probe.js";
import { recordProbes, type ProbeRecord } from "../slots/probe-store.js";
import { reauthSteps } from "../slots/reauth.js";
import { readSlotMeters, slotGoverning, type SlotMeters } from "../slots/slot-meters.js";
import { switchSlot } from "../slots/switch.js";
import { demoWould, printOutcome } from "./switch.js";
import type { CommandContext } from "./context.js";

const USAGE = "usage: usagetop slots [check [--probe] | adopt SLOT | baseline SLOT | reauth SLOT | decide [--execute]] [--json]";

export default async function run(ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = ctx.args;
  const config = ctx.config();
  // The demo has slots but no credentials files: listing, checking and deciding read the demo's
  // slots; what would write credentials says what it would do and touches nothing (as `switch`).
  const demo = config.demo && config.loadedFrom === null;
  switch (sub) {
    case undefined:
    case "list":
      return demo ? listDemo(ctx, config) : list(ctx, config);
    case "check":
      return demo ? listDemo(ctx, config) : check(ctx, config);
    case "adopt":
      return withSlotArg(ctx, rest, "adopt", (slot) => (demo ? demoWould(ctx, `adopt the live credentials as slot "${slot}"`) : adopt(ctx, config, slot)));
    case "baseline":
      return withSlotArg(ctx, rest, "baseline", (slot) => (demo ? demoWould(ctx, `record the account of slot "${slot}" as its baseline`) : baseline(ctx, config, slot)));
    case "reauth":
      return withSlotArg(ctx, rest, "reauth", (slot) => (demo ? demoWould(ctx, `list the steps to sign slot "${slot}" in again`) : reauth(ctx, config, slot)));
    case "decide":
      return demo ? decideDemo(ctx, config) : decideCommand(ctx, config);
    default:
      ctx.stderr.write(`usagetop: unknown slots command "${sub}"\n${USAGE}\n`);
      return 1;
  }
}

async function withSlotArg(ctx: CommandContext, rest: string[], what: string, fn: (slot: string) => number | Promise<number>): Promise<number> {
  const slot = rest[0];
  if (slot === undefined || rest.length > 1) {
    ctx.stderr.write(`usagetop: slots ${what} takes one slot name\n${USAGE}\n`);
    return 1;
  }
  return fn(slot);
}

function metersFor(config: Config, report: SlotsReport, now: Date): Map<string, SlotMeters> {
  return new Map(report.slots.map((s) => [s.name, readSlotMeters(config.paths.stateDir, s.name, now)]));
}

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

function slotJson(report: SlotsReport, meters: Map<string, SlotMeters>, now: Date, probes?: Map<string, string>) {
  return {
    schemaVersion: 1,
    generatedAt: now.toISOString(),
    live: report.live.state === "link" ? { state: "link", slot: report.live.slot } : { state: report.live.state },
    liveProblem: report.liveProblem,
    healthy: allHealthy(report),
    slots: report.slots.map((c) => {
      const m = meters.get(c.name);
      const g = m ? slotGoverning(m.meters) : null;
      return {
        name: c.name,
        active: c.active,
        auth: c.state,
        detail: c.detail,
        subscriptionType: c.subscriptionType,
        rateLimitTier: c.rateLimitTier,
        expiresAt: iso(c.expiresAt),
        lapsed: c.lapsed,
        fileMtime: iso(c.fileMtime),
        identity: c.identity ? { accountUuid: c.identity.accountUuid, email: c.identity.email, baselinedAt: c.identity.baselinedAt } : null,
        identityNote: c.identityNote,
        rotated: c.rotated,
        lastProbe: c.probe ? probeJson(c.probe.last, now) : null,
        probeFailed: c.probeFailed !== null,
        ...(probes ? { probe: probes.get(c.name) ?? null } : {}),
        governing: g
          ? { kind: g.kind, label: g.label, utilisation: g.utilisation, resetsAt: iso(g.resetsAt), ageSeconds: g.ageSeconds, stale: m!.stale }
          : null,
      };
    }),
    warnings: report.warnings,
  };
}

function probeJson(r: ProbeRecord, now: Date) {
  return { at: r.at, ok: r.ok, reason: r.reason, conclusive: r.conclusive, ageSeconds: Math.round((now.getTime() - Date.parse(r.at)) / 1000) };
}

/** Under --demo the scenario's slots stand in for credentials files (none are read). */
async function listDemo(ctx: CommandContext, config: Config): Promise<number> {
  const now = ctx.now();
  const [{ demoStore, slotSummaries }, { formatDuration }] = await Promise.all([import("../store/collect.js"), import("../ui/format.js")]);
  const store = demoStore(config, now);
  const summaries = slotSummaries(store, now);
  if (ctx.flags.json) {
    ctx.stdout.write(`${JSON.stringify({ demo: true, slots: summaries }, null, 2)}\n`);
    return 0;
  }
  ctx.stdout.write("  SLOT      PLAN  TOKEN             AUTH   IDENTITY            GOVERNING\n");
  for (const s of store.slots) {
    const g = summaries.find((x) => x.name === s.name)?.governing;
    const ms = (s.tokenExpiresAt?.getTime() ?? now.getTime()) - now.getTime();
    const token = ms >= 0 ? `expires in ${formatDuration(ms / 1000)}` : `lapsed ${formatDuration(-ms / 1000)} ago`;
    const cols = [s.active ? "*" : " ", s.name.padEnd(9), (s.plan ?? "-").padEnd(5), token.padEnd(17), s.auth.padEnd(6), (s.email ?? "-").padEnd(19), g ? `${g.kind} ${g.utilisation.toFixed(1)}%` : "no data"];
    ctx.stdout.write(`${cols.join(" ")}\n`);
  }
  ctx.stdout.write("(demo data: no credentials were read)\n");
  return 0;
}

/** `slots decide` on the demo's slots: the same engine and policy as the TUI's advice line. */
async function decideDemo(ctx: CommandContext, config: Config): Promise<number> {
  const now = ctx.now();
  const [{ demoStore }, { storeDecision }] = await Promise.all([import("../store/collect.js"), import("../ui/recommendation.js")]);
  const r = storeDecision(demoStore(config, now), decidePolicy(config, null), now);
  if (r === null) {
    ctx.stdout.write("demo: fewer than two slots, nothing to decide\n");
    return 0;
  }
  const { decision: d, active } = r;
  if (ctx.flags.json) ctx.stdout.write(`${JSON.stringify({ demo: true, ...decisionJson(d, active) }, null, 2)}\n`);
  else for (const line of decisionLines(d, active, now)) ctx.stdout.write(`${line}\n`);
  if (ctx.flags.execute && d.action !== "stay" && d.target !== null && d.target !== active && !ctx.flags.json) {
    return demoWould(ctx, `switch the live credentials to ${d.target}`);
  }
  return 0;
}

function list(ctx: CommandContext, config: Config): number {
  const now = ctx.now();
  const report = checkSlots(config, now);
  const meters = metersFor(config, report, now);
  if (ctx.flags.json) {
    ctx.stdout.write(`${JSON.stringify(slotJson(report, meters, now), null, 2)}\n`);
    return 0;
  }
  for (const line of slotsTable(report, meters, now)) ctx.stdout.write(`${line}\n`);
  for (const w of report.warnings) ctx.stderr.write(`warning: ${w}\n`);
  return 0;
}

function probeDisplay(o: ProbeOutcome, previous: ProbeRecord | undefined, now: Date): string {
  if (o.kind === "skipped") {
    const last = previous ? `, last ${probeText(previous, now)}` : "";
    return `skipped(${o.why})${last}`;
  }
  return o.record.ok ? "ok" : `FAIL(${o.record.reason ?? "rejected"})`;
}

async function check(ctx: CommandContext, config: Config): Promise<number> {
  const now = ctx.now();
  let report = checkSlots(config, now);
  let probes: Map<string, string> | undefined;
  if (ctx.flags.probe) {
    const timeoutMs = httpTimeoutMs(ctx.env);
    const controller = new AbortController();
    const outcomes = await Promise.all(
      report.slots.map(async (c) => [c, await probeSlotFile(c.path, { baseUrl: config.oauthBaseUrl, timeoutMs, now, signal: controller.signal })] as const),
    );
    const records: Record<string, ProbeRecord> = {};
    probes = new Map();
    let failed = false;
    for (const [c, o] of outcomes) {
      if (o.kind === "done") {
        records[c.name] = o.record;
        if (!o.record.ok) failed = true;
      }
      probes.set(c.name, probeDisplay(o, c.probe?.last, now));
    }
    if (Object.keys(records).length > 0) {
      const warning = await recordProbes(config.paths.stateDir, records, now);
      if (warning) ctx.stderr.write(`warning: ${warning}\n`);
    }
    // Re-assess: the probes' accounts reveal drift on slots that are not live.
    report = checkSlots(config, now);
    const code = printCheck(ctx, config, report, now, probes);
    return failed ? 1 : code;
  }
  return printCheck(ctx, config, report, now, probes);
}

function printCheck(ctx: CommandContext, config: Config, report: SlotsReport, now: Date, probes?: Map<string, string>): number {
  const healthy = allHealthy(report);
  if (ctx.flags.json) {
    ctx.stdout.write(`${JSON.stringify(slotJson(report, metersFor(config, report, now), now, probes), null, 2)}\n`);
    return healthy ? 0 : 1;
  }
  for (const line of checkLines(report.slots, now, probes)) ctx.stdout.write(`${line}\n`);
  if (report.slots.length === 0) ctx.stdout.write(`no slots in ${config.paths.credsDir}\n`);
  ctx.stdout.write(`live: ${report.liveProblem ?? (report.live.state === "link" ? `ok (-> ${report.live.target})` : "ok")}\n`);
  for (const w of report.warnings) ctx.stderr.write(`warning: ${w}\n`);
  return healthy ? 0 : 1;
}

async function adopt(ctx: CommandContext, config: Config, slot: string): Promise<number> {
  const o = await adoptLiveFile(config, slot, { now: ctx.now });
  if (o.ok) ctx.stdout.write(`${o.headline}\n`);
  else ctx.stderr.write(`usagetop: ${o.headline}\n`);
  for (const n of o.notes) ctx.stderr.write(`${n}\n`);
  if (o.ok) ctx.stdout.write(`next: usagetop slots baseline ${slot}\n`);
  return o.exitCode;
}

async function baseline(ctx: CommandContext, config: Config, slot: string): Promise<number> {
  const now = ctx.now();
  const o = await baselineSlot(config, slot, { now, timeoutMs: httpTimeoutMs(ctx.env), signal: new AbortController().signal });
  if (!o.ok) {
    ctx.stderr.write(`usagetop: cannot baseline "${slot}": ${o.problem}\n`);
    return 1;
  }
  const who = o.identity.email ?? o.identity.accountUuid;
  ctx.stdout.write(`baselined "${slot}": account ${who} (from ${o.source}) -> ${o.path}\n`);
  return 0;
}

async function reauth(ctx: CommandContext, config: Config, slot: string): Promise<number> {
  const report = checkSlots(config, ctx.now());
  const known = report.slots.find((s) => s.name === slot);
  if (!known) {
    ctx.stderr.write(`usagetop: unknown slot "${slot}" (known: ${report.slots.map((s) => s.name).join(", ") || "none"})\n`);
    return 1;
  }
  const sidecar = readIdentity(config.paths.credsDir, slot);
  const current = report.live.state === "link" ? report.live.slot : null;
  ctx.stdout.write(`slot "${slot}" is ${known.state}: ${known.detail}\n`);
  for (const line of reauthSteps(config, slot, sidecar.ok ? sidecar.identity : null, current)) ctx.stdout.write(`${line}\n`);
  return 0;
}

function decisionJson(d: Decision, active: string | null) {
  return { active, action: d.action, target: d.target, reason: d.reason, holdUntil: iso(d.holdUntil) };
}

async function decideCommand(ctx: CommandContext, config: Config): Promise<number> {
  const now = ctx.now();
  const { input } = decideInputs(config, now);
  const d = decide(input);
  const moves = d.action !== "stay" && d.target !== null && d.target !== input.active;
  if (!ctx.flags.execute || !moves) {
    if (ctx.flags.json) ctx.stdout.write(`${JSON.stringify(decisionJson(d, input.active), null, 2)}\n`);
    else for (const line of decisionLines(d, input.active, now)) ctx.stdout.write(`${line}\n`);
    return 0;
  }
  const outcome = await switchSlot({
    config,
    target: d.target!,
    by: "decide",
    reason: `${d.action}: ${d.reason}`,
    holdUntil: d.holdUntil,
    now: ctx.now,
  });
  if (ctx.flags.json) {
    ctx.stdout.write(`${JSON.stringify({ ...decisionJson(d, input.active), executed: { status: outcome.status, exitCode: outcome.exitCode, headline: outcome.headline } }, null, 2)}\n`);
    return outcome.exitCode;
  }
  for (const line of decisionLines(d, input.active, now)) ctx.stdout.write(`${line}\n`);
  return printOutcome(ctx, outcome);
}
