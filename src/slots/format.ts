// Text for `usagetop slots`, `slots check` and `slots decide`. Pure: the clock is an argument.
// Nothing here can print a token: SlotCheck carries none (tokens stay in credentials.ts).
import { formatDuration } from "../ui/format.js";
import type { SlotCheck, SlotsReport } from "./check-auth.js";
import type { Decision } from "./decide.js";
import type { LiveLink } from "./live-link.js";
import type { ProbeRecord } from "./probe-store.js";
import type { SlotMeters } from "./slot-meters.js";
import { slotGoverning } from "./slot-meters.js";

const ago = (at: Date | string, now: Date) => `${formatDuration((now.getTime() - new Date(at).getTime()) / 1000)} ago`;

/** "max/max_20x": subscriptionType and the tier without Claude's `default_claude_` prefix. */
export function planText(c: Pick<SlotCheck, "subscriptionType" | "rateLimitTier">): string {
  const tier = c.rateLimitTier?.replace(/^default_claude_/, "").replace(/^default_/, "") ?? null;
  if (!c.subscriptionType && !tier) return "-";
  if (!tier || tier === c.subscriptionType) return c.subscriptionType ?? tier!;
  return `${c.subscriptionType ?? "?"}/${tier}`;
}

export function tokenText(c: SlotCheck, now: Date): string {
  if (!c.expiresAt) return "-";
  const ms = c.expiresAt.getTime() - now.getTime();
  return ms > 0 ? `in ${formatDuration(ms / 1000)}` : `lapsed ${formatDuration(-ms / 1000)} ago`;
}

export function probeText(r: ProbeRecord | null | undefined, now: Date): string {
  if (!r) return "-";
  return r.ok ? `ok ${ago(r.at, now)}` : `FAIL(${r.reason ?? "rejected"}) ${ago(r.at, now)}`;
}

export function governingText(m: SlotMeters): string {
  const g = slotGoverning(m.meters);
  if (!g) return "-";
  const u = `${Math.round((g.utilisation ?? 0) * 10) / 10}%`;
  const age = formatDuration(g.ageSeconds);
  return `${g.label} ${g.rolledOver ? "~0% (reset passed)" : u} (${age} old${m.stale ? ", stale" : ""})`;
}

export function liveText(live: LiveLink): string {
  switch (live.state) {
    case "link":
      return `.credentials.json -> ${live.target}`;
    case "none":
      return "no .credentials.json";
    case "regular":
      return ".credentials.json is a regular file";
    case "other":
      return `.credentials.json is ${live.what}`;
    default:
      return `.credentials.json -> ${live.target} (${live.state})`;
  }
}

function pad(cells: string[][]): string[] {
  const widths: number[] = [];
  for (const row of cells) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  return cells.map((row) =>
    row
      .map((c, i) => (i === row.length - 1 ? c : c + " ".repeat(widths[i]! - [...c].length)))
      .join("  ")
      .trimEnd(),
  );
}

/** The `usagetop slots` table. */
export function slotsTable(report: SlotsReport, meters: Map<string, SlotMeters>, now: Date): string[] {
  const rows = [["", "SLOT", "PLAN", "TOKEN", "AUTH", "IDENTITY", "PROBE", "GOVERNING"]];
  for (const c of report.slots) {
    rows.push([
      c.active ? "*" : " ",
      c.name,
      planText(c),
      tokenText(c, now),
      c.state,
      c.identity?.email ?? c.identity?.accountUuid ?? "-",
      probeText(c.probe?.last, now),
      governingText(meters.get(c.name) ?? { meters: [], observedAt: null, stale: false, warning: null }),
    ]);
  }
  const lines = pad(rows);
  if (report.slots.length === 0) lines.push("(no slots: no .credentials.json.<name> files and no [slots] names)");
  lines.push(`live: ${liveText(report.live)}`);
  if (report.liveProblem) lines.push(`problem: ${report.liveProblem}`);
  return lines;
}

/** `slots check` lines, names and states in aligned columns. `probes`: this run's probe displays (with --probe). */
export function checkLines(slots: readonly SlotCheck[], now: Date, probes?: Map<string, string>): string[] {
  const nameW = Math.max(0, ...slots.map((c) => c.name.length));
  const stateW = Math.max(0, ...slots.map((c) => c.state.length));
  return slots.map((c) => checkLine(c, now, probes?.get(c.name), nameW, stateW));
}

/** One `slots check` line. `probe` is this run's probe display (with --probe). */
export function checkLine(c: SlotCheck, now: Date, probe?: string, nameW = 0, stateW = 0): string {
  const parts = [c.detail];
  if (c.identity) parts.push(c.identity.email ?? c.identity.accountUuid);
  else if (c.identityNote && (c.state === "ok" || c.state === "stale" || c.state === "old")) parts.push(c.identityNote);
  if (c.rotated) parts.push("rotated (refresh token changed, same account: normal)");
  if (probe !== undefined) parts.push(`probe=${probe}`);
  else if (c.probe) parts.push(`last probe ${probeText(c.probe.last, now)}`);
  if (c.probeFailed && (probe === undefined || !probe.startsWith("FAIL"))) {
    parts.push(`last verdict FAIL(${c.probeFailed.reason ?? "rejected"}) ${ago(c.probeFailed.at, now)}: refresh token dead (usagetop slots reauth ${c.name})`);
  }
  return `${c.active ? "*" : " "} ${c.name.padEnd(nameW)}  ${c.state.padEnd(stateW)}  ${parts.join(" · ")}`;
}

export function decisionLines(d: Decision, active: string | null, now: Date): string[] {
  const head =
    d.action === "stay"
      ? `stay on ${active ?? "(none)"}`
      : `${d.action.replace("_", "-")} ${active ?? "(none)"} -> ${d.target}`;
  const lines = [head, `reason: ${d.reason}`];
  if (d.holdUntil) lines.push(`hold until ${d.holdUntil.toISOString()} (${formatDuration((d.holdUntil.getTime() - now.getTime()) / 1000)})`);
  return lines;
}
