// Threshold alerts (SPEC 7.2 `[alerts]`): when a slot's governing meter crosses a configured
// threshold upward, run the configured command once (execa, no shell) with the facts in its
// environment, and tell the caller so the TUI can ring the bell. A fired threshold re-arms when
// the meter falls back below it, or once the window it fired in has reset. The fired set lives
// in `alerts.json` in the state dir, changed under a lock, so the TUI, `serve` and restarts
// never fire the same crossing twice.
import { join } from "node:path";
import * as z from "zod/mini";
import type { Config } from "../config/config.js";
import type { SlotView } from "../model/view.js";
import { ensureStateDir, readJsonFile, writeFileAtomic } from "./atomic-file.js";
import { withLock } from "./lock.js";

export type GoverningFact = { kind: string; utilisation: number; resetsAt: Date | null };

/** Per slot: the thresholds that fired and have not re-armed, and the window they fired in. */
export type SlotAlertState = { fired: number[]; kind: string | null; resetsAt: string | null };
export type AlertState = Record<string, SlotAlertState>;

export type Crossing = {
  slot: string | null;
  threshold: number;
  kind: string;
  utilisation: number;
  resetsAt: Date | null;
};

const EMPTY: SlotAlertState = { fired: [], kind: null, resetsAt: null };

/** `alerts.json` key for a slot (a setup without slots is `_`). */
export const slotKey = (slot: string | null): string => slot ?? "_";

/**
 * Pure core. Returns the crossings to act on (at most one per slot and call: the highest
 * threshold newly reached; lower ones newly reached are marked fired with it, so a jump from
 * 40 % to 95 % alerts once, at 90, not three times) and the next state.
 */
export function detectCrossings(
  prev: SlotAlertState | undefined,
  next: { slot: string | null; governing: GoverningFact | null; now: Date },
  thresholds: readonly number[],
): { crossings: Crossing[]; state: SlotAlertState } {
  let fired = [...(prev ?? EMPTY).fired];
  const firedIn = prev?.resetsAt ? Date.parse(prev.resetsAt) : Number.NaN;
  // The window the thresholds fired in has reset: every threshold is armed again, even if no
  // read saw the meter low in between (a fresh window can climb fast between two polls).
  if (Number.isFinite(firedIn) && next.now.getTime() >= firedIn) fired = [];
  const g = next.governing;
  if (g === null || !Number.isFinite(g.utilisation)) {
    // No data is not a fall: keep what fired, so an outage does not re-fire on recovery.
    return { crossings: [], state: { fired, kind: prev?.kind ?? null, resetsAt: fired.length > 0 ? (prev?.resetsAt ?? null) : null } };
  }
  const u = g.utilisation;
  fired = fired.filter((t) => u >= t);
  const fresh = [...new Set(thresholds)].filter((t) => Number.isFinite(t) && u >= t && !fired.includes(t)).sort((a, b) => a - b);
  const crossings: Crossing[] = [];
  const top = fresh.at(-1);
  if (top !== undefined) crossings.push({ slot: next.slot, threshold: top, kind: g.kind, utilisation: u, resetsAt: g.resetsAt });
  fired = [...fired, ...fresh].sort((a, b) => a - b);
  const state: SlotAlertState = {
    fired,
    kind: fired.length > 0 ? g.kind : null,
    resetsAt: fired.length > 0 && g.resetsAt !== null ? g.resetsAt.toISOString() : fired.length > 0 ? (prev?.resetsAt ?? null) : null,
  };
  return { crossings, state };
}

/** The command's environment for one crossing (strings only, as env vars are). */
export function alertEnv(c: Crossing): Record<string, string> {
  return {
    USAGETOP_ALERT_THRESHOLD: String(c.threshold),
    USAGETOP_GOVERNING_KIND: c.kind,
    USAGETOP_GOVERNING_UTILISATION: c.utilisation.toFixed(1),
    USAGETOP_SLOT: c.slot ?? "",
    USAGETOP_RESETS_AT: c.resetsAt === null ? "" : c.resetsAt.toISOString(),
  };
}

const StateFileSchema = z.object({
  schemaVersion: z.literal(1),
  slots: z.record(z.string(), z.object({ fired: z.array(z.number()), kind: z.nullable(z.string()), resetsAt: z.nullable(z.string()) })),
});

export const alertsFilePath = (stateDir: string): string => join(stateDir, "alerts.json");

function loadState(stateDir: string): AlertState {
  const read = readJsonFile(alertsFilePath(stateDir), StateFileSchema);
  // Missing or corrupt: start armed. A corrupt file is simply rewritten on the next save.
  return read.ok ? read.value.slots : {};
}

function saveState(stateDir: string, state: AlertState): void {
  ensureStateDir(stateDir);
  writeFileAtomic(alertsFilePath(stateDir), `${JSON.stringify({ schemaVersion: 1, slots: state })}\n`);
}

export type AlertSettings = { thresholds: number[]; command: string[] | null; bell: boolean };

export function alertSettings(config: Config): AlertSettings {
  const a = config.file.alerts;
  return { thresholds: a?.thresholds ?? [], command: a?.command ?? null, bell: a?.bell ?? false };
}

export type AlertOutcome = {
  crossings: Crossing[];
  /** True when the TUI should ring the terminal bell (`\x07`): a crossing and `[alerts] bell = true`. */
  bell: boolean;
  /** One line per command that failed to start or exited non-zero (for the log view). */
  errors: string[];
};

/** What runAlerts needs from the views: each slot's governing meter (the TUI and `serve` both call this). */
export function governingObservations(views: readonly SlotView[]): Array<{ slot: string | null; governing: GoverningFact | null }> {
  return views.map((v) => ({
    slot: v.slot,
    governing: v.governing && v.governing.utilisation !== null ? { kind: v.governing.kind, utilisation: v.governing.utilisation, resetsAt: v.governing.resetsAt } : null,
  }));
}

export type RunAlertsOptions = {
  config: Config;
  observations: ReadonlyArray<{ slot: string | null; governing: GoverningFact | null }>;
  now: Date;
  /** Runs the command; defaults to execa without a shell. Injectable for tests of the runner itself. */
  exec?: (file: string, args: string[], env: Record<string, string>) => Promise<{ ok: boolean; message?: string }>;
};

async function execCommand(file: string, args: string[], env: Record<string, string>): Promise<{ ok: boolean; message?: string }> {
  const { execa } = await import("execa");
  const r = await execa(file, args, { reject: false, shell: false, stdin: "ignore", stdout: "ignore", stderr: "pipe", timeout: 30_000, env, extendEnv: true });
  if (r.failed) {
    const why = r.exitCode !== undefined ? `exited ${r.exitCode}` : `failed (${r.code ?? "error"})`;
    const detail = String(r.stderr ?? "").split("\n")[0]?.slice(0, 160) ?? "";
    return { ok: false, message: `alert command ${file} ${why}${detail ? `: ${detail}` : ""}` };
  }
  return { ok: true };
}

/**
 * The runner: detects crossings for every observed slot under the alerts lock, persists the new
 * state, then runs the command once per crossing. Safe to call on every store change.
 */
export async function runAlerts(o: RunAlertsOptions): Promise<AlertOutcome> {
  const settings = alertSettings(o.config);
  if (settings.thresholds.length === 0) return { crossings: [], bell: false, errors: [] };
  const stateDir = o.config.paths.stateDir;
  const locked = await withLock(join(stateDir, "alerts.lock"), () => {
    const state = loadState(stateDir);
    const crossings: Crossing[] = [];
    let changed = false;
    for (const obs of o.observations) {
      const key = slotKey(obs.slot);
      const got = detectCrossings(state[key], { slot: obs.slot, governing: obs.governing, now: o.now }, settings.thresholds);
      crossings.push(...got.crossings);
      if (JSON.stringify(got.state) !== JSON.stringify(state[key] ?? EMPTY)) {
        state[key] = got.state;
        changed = true;
      }
    }
    if (changed) saveState(stateDir, state);
    return crossings;
  });
  // Lock busy for 5 s: another process is handling this very change; it fires, not us.
  if (!locked.acquired) return { crossings: [], bell: false, errors: [] };
  const crossings = locked.value;
  const errors: string[] = [];
  if (settings.command !== null) {
    const [file, ...args] = settings.command as [string, ...string[]];
    const exec = o.exec ?? execCommand;
    for (const c of crossings) {
      try {
        const r = await exec(file, args, alertEnv(c));
        if (!r.ok) errors.push(r.message ?? `alert command ${file} failed`);
      } catch (err) {
        errors.push(`alert command ${file}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  return { crossings, bell: settings.bell && crossings.length > 0, errors };
}
