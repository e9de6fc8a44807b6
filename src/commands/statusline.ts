// `usagetop statusline` (SPEC 3.2.2, 6.5): Claude Code's statusLine command. Reads the status JSON
// on stdin (capped at 1 MiB), records its rate_limits and cost for the statusline reader, and
// prints ONE line from what is already on disk: the stdin it just got, the other sessions'
// records, and the shared cache. It never reads credentials' tokens, never calls the network,
// and always exits 0 (a status line must never break).
//
// Speed: Claude Code runs this on every refresh, so it must print within ~50 ms of Node starting.
// `statuslineFast` is called by cli.ts before meow is loaded, and everything imported here is
// small and zod- and meow-free (every module on this path counts against the budget): the config
// file, when there is one, is read with smol-toml for the few settings this needs and not
// validated (a broken config must not break the status line; `usagetop config check` is where
// it is reported).
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Config } from "../config/config.js";
import { claudeConfigDirs, configFilePath, envValue, expandHome, homeDir, stateHome } from "../config/paths.js";
import { DEFAULT_PACING, type PacingOptions } from "../model/pacing.js";
import { planTable, type PlanTable } from "../model/plans.js";
import type { ReaderEntry } from "../model/reader-state.js";
import { buildSlotView } from "../model/view.js";
import { parseStatusInput, statusMeters, STATUS_MAX_BYTES, type StatusFacts } from "../readers/parse-statusline.js";
import { bankedBefore, loadStatusRecords, recordStatus, sessionSpend, type StatusRecord } from "../readers/statusline-record.js";
import { activeSlotName, DEFAULT_SLOT, LIVE_FILE } from "../slots/layout.js";
import { peekCachedEntries } from "../store/cache-peek.js";
import { NO_DATA_LINE, statuslineText } from "../ui/statusline-line.js";
import type { CommandContext } from "./context.js";

const DEFAULT_MAX_AGE_SECONDS = 600;
const DEFAULT_INTERVAL_SECONDS = 180;
/** Claude Code closes stdin after writing; a caller that never does must not hang the line. */
const STDIN_DEADLINE_MS = 1000;

export type StatuslineSettings = {
  stateDir: string;
  credsDir: string;
  slot: string | null;
  plan: string;
  /** Built-in plans and the config's own [plans.<name>]. */
  plans: PlanTable;
  pacing: PacingOptions;
  maxAgeSeconds: number;
  intervalSeconds: number;
  record: boolean;
};

export function settingsFromConfig(config: Config): StatuslineSettings {
  return {
    stateDir: config.paths.stateDir,
    credsDir: config.paths.credsDir,
    slot: config.slot,
    plan: config.plan ?? "max",
    plans: planTable(config),
    pacing: { paceTarget: config.pacing.target, band: config.pacing.band },
    maxAgeSeconds: config.file.readers?.statusline?.max_age ?? DEFAULT_MAX_AGE_SECONDS,
    intervalSeconds: config.file.readers?.oauth?.interval ?? config.interval,
    record: config.file.readers?.statusline?.enabled !== false,
  };
}

type Table = Record<string, unknown>;
const table = (v: unknown): Table => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Table) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);
const pos = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : undefined);

/** `[plans.<name>] meters = [...]` merged as loadConfig's planTable does; a malformed entry is left out (config check reports it). */
function filePlans(v: unknown): PlanTable {
  const plans: Record<string, { meters: string[] }> = {};
  for (const [name, plan] of Object.entries(table(v))) {
    const meters = table(plan).meters;
    if (Array.isArray(meters) && meters.length > 0 && meters.every((m) => typeof m === "string")) plans[name] = { meters: meters as string[] };
  }
  return planTable({ file: { plans } });
}

/**
 * The same layering as loadConfig for the settings the line needs (env > file > defaults; for the
 * credentials dir the file wins, as there), without zod.
 */
export async function settingsFromEnv(env: Record<string, string | undefined>): Promise<StatuslineSettings> {
  const home = homeDir(env, homedir());
  const configFile = configFilePath(undefined, env, home);
  let file: Table = {};
  if (existsSync(configFile)) {
    try {
      const [{ parse }, { readFileSync }] = await Promise.all([import("smol-toml"), import("node:fs")]);
      file = table(parse(readFileSync(configFile, "utf8")));
    } catch {
      file = {};
    }
  }
  const general = table(file.general);
  const slots = table(file.slots);
  const readers = table(file.readers);
  const pacing = table(file.pacing);
  const fileDir = str(slots.dir);
  const credsDir =
    (fileDir ? expandHome(fileDir, home) : undefined) ??
    envValue(env, "USAGETOP_CREDS_DIR") ??
    envValue(env, "GPTME_SUBSCRIPTION_CREDS_DIR") ??
    claudeConfigDirs(env, home)?.[0] ??
    join(home, ".claude");
  const plan = envValue(env, "USAGETOP_PLAN") ?? str(general.plan) ?? "max";
  const band = pacing.band;
  return {
    stateDir: join(stateHome(env, home), "usagetop"),
    credsDir,
    slot: envValue(env, "USAGETOP_SLOT") ?? str(general.slot) ?? null,
    plan,
    plans: filePlans(file.plans),
    pacing: { paceTarget: pos(pacing.target) ?? DEFAULT_PACING.paceTarget, band: typeof band === "number" && band >= 0 ? band : DEFAULT_PACING.band },
    maxAgeSeconds: pos(table(readers.statusline).max_age) ?? DEFAULT_MAX_AGE_SECONDS,
    intervalSeconds: pos(table(readers.oauth).interval) ?? pos(Number(envValue(env, "USAGETOP_INTERVAL"))) ?? pos(general.interval) ?? DEFAULT_INTERVAL_SECONDS,
    record: table(readers.statusline).enabled !== false,
  };
}

export type StdinRead = { text: string } | { skipped: string };

/** stdin up to `maxBytes`: more, a TTY, an error or no EOF before the deadline records nothing. */
export function readStdinCapped(stream: NodeJS.ReadableStream & { isTTY?: boolean }, maxBytes = STATUS_MAX_BYTES, deadlineMs = STDIN_DEADLINE_MS): Promise<StdinRead> {
  if (stream.isTTY) return Promise.resolve({ skipped: "stdin is a terminal" });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: StdinRead) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stream.removeListener("data", onData);
      stream.removeListener("end", onEnd);
      stream.removeListener("error", onError);
      // Stop reading a runaway producer; we answer now either way.
      (stream as { destroy?: () => void }).destroy?.();
      resolve(r);
    };
    const onData = (c: Buffer | string) => {
      const b = typeof c === "string" ? Buffer.from(c) : c;
      size += b.length;
      if (size > maxBytes) return finish({ skipped: "status input over 1 MiB" });
      chunks.push(b);
    };
    const onEnd = () => finish({ text: Buffer.concat(chunks).toString("utf8") });
    const onError = () => finish({ skipped: "stdin unreadable" });
    const timer = setTimeout(() => finish({ skipped: "stdin not closed in time" }), deadlineMs);
    timer.unref?.();
    stream.on("data", onData);
    stream.on("end", onEnd);
    stream.on("error", onError);
  });
}

/** The slot whose cache speaks for this machine: config/env, else the live symlink, else a plain login. */
function slotFor(s: StatuslineSettings): string | null {
  if (s.slot) return s.slot;
  const active = activeSlotName(s.credsDir);
  if (active) return active;
  return existsSync(join(s.credsDir, LIVE_FILE)) ? DEFAULT_SLOT : null;
}

function localMidnight(now: Date): Date {
  const d = new Date(now.getTime());
  d.setHours(0, 0, 0, 0);
  return d;
}

/**
 * Today's spend from the status-line records: each session's latest cumulative cost, summed over
 * the sessions Claude Code reported today (a session that began before midnight counts whole).
 */
export function costToday(stateDir: string, now: Date, current: StatusFacts | null = null): number | null {
  const since = Math.max(1, (now.getTime() - localMidnight(now).getTime()) / 1000);
  const { records } = loadStatusRecords(stateDir, now, since);
  // Each session's latest figures (records come oldest first).
  const latest = new Map<string, Pick<StatusRecord, "costUsd" | "costBeforeResetUsd">>();
  for (const r of records) if (r.costUsd !== null) latest.set(r.sessionId ?? "", r);
  // This refresh's own figure is newer than its record on disk (recorded after the line is out),
  // and may be the first after a reset.
  if (current?.costUsd != null) {
    const key = current.sessionId ?? "";
    const prev = current.sessionId === null ? null : (latest.get(key) ?? null);
    latest.set(key, { costUsd: current.costUsd, costBeforeResetUsd: bankedBefore(prev, current.costUsd) });
  }
  if (latest.size === 0) return null;
  let sum = 0;
  for (const r of latest.values()) sum += sessionSpend(r) ?? 0;
  return sum;
}

/** Builds the line from stdin's facts (when any) and the state dir. Pure reads: no network. */
export function lineFromState(s: StatuslineSettings, facts: StatusFacts | null, now: Date): string {
  const slot = slotFor(s);
  const entries: ReaderEntry[] = peekCachedEntries(s.stateDir, slot, Math.max(60, s.intervalSeconds));
  // This session's stdin is the freshest word on its account; other sessions' young records next.
  const own = facts ? statusMeters(facts.windows, now) : [];
  const { records } = loadStatusRecords(s.stateDir, now, s.maxAgeSeconds);
  const meters = new Map<string, ReturnType<typeof statusMeters>[number]>();
  for (const r of records) for (const m of statusMeters(r.windows, r.observedAt)) meters.set(m.kind, m);
  for (const m of own) meters.set(m.kind, m);
  if (meters.size > 0) {
    const at = own.length > 0 ? now : (records.at(-1)?.observedAt ?? now);
    entries.push({ name: "statusline", slot, enabled: true, lastGood: { at, meters: [...meters.values()] }, lastAttempt: { at, ok: true }, nextAttemptAt: null, freshForSeconds: s.maxAgeSeconds / 2 });
  }
  const view = buildSlotView(slot, entries, now, { plan: Object.hasOwn(s.plans, s.plan) ? s.plan : "max", plans: s.plans, pacing: s.pacing, history: () => [] });
  const plan = view.meters.filter((m) => m.group === "plan");
  return statuslineText({ meters: plan, governingKind: view.governing?.kind ?? null, costToday: costToday(s.stateDir, now, facts), now });
}

export type StatuslineIo = {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  now: () => Date;
  debug?: boolean;
};

/** Never throws, always one line, always exit 0. The line goes out first; the record is written after. */
export async function runStatusline(settings: () => Promise<StatuslineSettings> | StatuslineSettings, io: StdinRead | null, out: StatuslineIo): Promise<number> {
  const debug = (message: string) => {
    if (out.debug) out.stderr.write(`usagetop statusline: ${message}\n`);
  };
  let line = NO_DATA_LINE;
  let record: (() => void) | null = null;
  try {
    const s = await settings();
    const input = io ?? (await readStdinCapped(out.stdin));
    const now = out.now();
    let facts: StatusFacts | null = null;
    if ("text" in input) {
      const parsed = parseStatusInput(input.text);
      if (parsed.ok) facts = parsed.facts;
      else debug(`nothing recorded: ${parsed.reason}`);
      if (parsed.ok && s.record) {
        record = () => {
          const rec = recordStatus(s.stateDir, input.text, now);
          if (!rec.recorded) debug(`nothing recorded: ${rec.reason}`);
        };
      }
    } else debug(input.skipped);
    line = lineFromState(s, facts, now);
  } catch (err) {
    debug(err instanceof Error ? err.message : String(err));
  }
  out.stdout.write(`${line}\n`);
  try {
    record?.();
  } catch (err) {
    debug(err instanceof Error ? err.message : String(err));
  }
  return 0;
}

function fixedNow(env: Record<string, string | undefined>): () => Date {
  const pinned = env.USAGETOP_NOW ? Date.parse(env.USAGETOP_NOW) : Number.NaN;
  return Number.isFinite(pinned) ? () => new Date(pinned) : () => new Date();
}

/** The fast path cli.ts takes for a bare `usagetop statusline` (how Claude Code runs it). */
export function statuslineFast(env: Record<string, string | undefined>): Promise<number> {
  return runStatusline(() => settingsFromEnv(env), null, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, now: fixedNow(env) });
}

/** With flags (`--config`, `--slot`, `--demo`, ...): the full config, still never breaking. */
export default async function run(ctx: CommandContext): Promise<number> {
  if (ctx.flags.demo) {
    const input = await readStdinCapped(ctx.stdin);
    try {
      const config = ctx.config();
      const { demoStore } = await import("../store/collect.js");
      const now = ctx.now();
      const store = demoStore(config, now);
      if ("text" in input) recordStatus(config.paths.stateDir, input.text, now);
      const view = store.current(now);
      ctx.stdout.write(`${statuslineText({ meters: view.meters.filter((m) => m.group === "plan"), governingKind: view.governing?.kind ?? null, costToday: null, now })}\n`);
    } catch {
      ctx.stdout.write(`${NO_DATA_LINE}\n`);
    }
    return 0;
  }
  const settings = async () => {
    try {
      return settingsFromConfig(ctx.config());
    } catch {
      // A bad config file must not break the status line: fall back to the environment alone.
      return settingsFromEnv(ctx.env);
    }
  };
  return runStatusline(settings, null, { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr, now: ctx.now, debug: ctx.flags.debug });
}
