// Plain-text tables for `usagetop report` (no ink: reports must start fast and pipe cleanly).
// Every table fits 80 columns; colour (tier colours) only when the caller allows it.
import type { Block } from "../../model/blocks.js";
import type { CostTierDefinition } from "../../model/tiers.js";
import type { DailyRow, ModelRow, MonthlyRow, ProjectRow, SessionRow } from "../../model/usage-report.js";
import { prefixesWidth, shortModel, uniquePrefixes } from "../short-names.js";
import { shortProject } from "../../model/project-match.js";

type Align = "left" | "right";
type Column = { title: string; width: number; align: Align };

const ANSI: Record<string, string> = { red: "31", green: "32", yellow: "33", blue: "34", magenta: "35", cyan: "36", white: "37", gray: "90", grey: "90" };

export function paint(text: string, color: string | undefined, enabled: boolean): string {
  const code = color === undefined ? undefined : ANSI[color.toLowerCase()];
  return enabled && code ? `\u001b[${code}m${text}\u001b[39m` : text;
}

/** 950 -> "950", 45_600 -> "45.6k", 1_234_567 -> "1.23M", 2.5e9 -> "2.50B". */
export function compactCount(n: number): string {
  const a = Math.abs(n);
  if (a < 1000) return String(Math.round(n));
  if (a < 1e6) return `${(n / 1e3).toFixed(a < 1e4 ? 2 : 1)}k`;
  if (a < 1e9) return `${(n / 1e6).toFixed(2)}M`;
  return `${(n / 1e9).toFixed(2)}B`;
}

/**
 * `$1,234.50`: what toLocaleString("en-US", 2 decimals) prints, without it. The first Intl number
 * format costs about 12 ms of ICU loading, most of a small report's run. Like ICU, it rounds the
 * shortest decimal that reads back as `n` (String(n)), half away from zero: toFixed would round
 * the binary value instead (2147483.635 -> .63 where Intl says .64).
 */
export function usd(n: number): string {
  const abs = Math.abs(n);
  const shortest = String(abs);
  if (!Number.isFinite(n) || abs >= 1e21) return `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  let cents: string;
  if (shortest.includes("e")) cents = "000"; // below 1e-6: rounds to 0.00
  else {
    const [whole = "0", frac = ""] = shortest.split(".");
    const up = frac.length > 2 && frac.charCodeAt(2) >= 53; // third decimal 5-9
    cents = (BigInt(whole + frac.slice(0, 2).padEnd(2, "0")) + (up ? 1n : 0n)).toString().padStart(3, "0");
  }
  let whole = cents.slice(0, -2);
  for (let i = whole.length - 3; i > 0; i -= 3) whole = `${whole.slice(0, i)},${whole.slice(i)}`;
  // NumberFormat keeps the sign of -0 and of amounts that round to zero ("-0.00"): so does this.
  return `$${n < 0 || Object.is(n, -0) ? "-" : ""}${whole}.${cents.slice(-2)}`;
}

/** A cost cell, starred when some of its tokens had no price (counted as $0). */
export function costCell(cost: number, unpriced: boolean): string {
  return `${usd(cost)}${unpriced ? "*" : ""}`;
}

/** The footnote for starred cost cells, when any row has one. */
function starNote(rows: readonly { unpriced: boolean }[]): string {
  return rows.some((r) => r.unpriced) ? "* includes unpriced models, counted as $0\n" : "";
}

function fit(text: string, width: number, align: Align): string {
  const t = text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
  return align === "left" ? t.padEnd(width) : t.padStart(width);
}

function tableRow(columns: Column[], cells: string[]): string {
  return columns.map((c, i) => fit(cells[i] ?? "", c.width, c.align)).join("  ").trimEnd();
}

function table(columns: Column[], rows: string[][], extra?: Map<number, string>): string {
  const line = (cells: string[]) => tableRow(columns, cells);
  const out = [line(columns.map((c) => c.title)), line(columns.map((c) => "─".repeat(c.width)))];
  rows.forEach((r, i) => {
    out.push(line(r));
    const more = extra?.get(i);
    if (more) out.push(more);
  });
  return `${out.join("\n")}\n`;
}

const tokenCols = (first: Column): Column[] => [
  first,
  { title: "Input", width: 8, align: "right" },
  { title: "Output", width: 8, align: "right" },
  { title: "Cache wr", width: 9, align: "right" },
  { title: "Cache rd", width: 9, align: "right" },
  { title: "Total", width: 9, align: "right" },
  { title: "Cost", width: 10, align: "right" },
];

type Totals = { inputTokens: number; outputTokens: number; cacheCreationTokens: number; cacheReadTokens: number; totalTokens: number; totalCost: number };

function tokenCells(label: string, t: Totals, flagged: boolean): string[] {
  return [
    label,
    compactCount(t.inputTokens),
    compactCount(t.outputTokens),
    compactCount(t.cacheCreationTokens),
    compactCount(t.cacheReadTokens),
    compactCount(t.totalTokens),
    `${usd(t.totalCost)}${flagged ? "*" : ""}`,
  ];
}

function unpricedNote(models: Iterable<string>): string {
  const list = [...new Set(models)].sort();
  // Two lines so that each stays within 80 columns.
  return list.length === 0 ? "" : `* unpriced, counted as $0: ${list.join(", ")}\n  (price them with [prices."<model>"] in config.toml)\n`;
}

/**
 * Days or months, each followed by the models it used: their names on one line, or with
 * `breakdown` (ccusage's `--breakdown`) one row of tokens and cost per model.
 */
export function renderPeriods(kind: "Date" | "Month", rows: (DailyRow | MonthlyRow)[], totals: Totals, breakdown = false): string {
  if (rows.length === 0) return "No usage in the selected period.\n";
  // Model rows are indented under their period: the first column widens to hold a model name
  // (the table stays within 80 columns).
  const cols = tokenCols({ title: kind, width: breakdown ? 14 : 10, align: "left" });
  const extra = new Map<number, string>();
  const body = rows.map((r, i) => {
    if (breakdown) {
      const lines = r.modelBreakdowns.map((b) => {
        const t = { ...b, totalTokens: b.inputTokens + b.outputTokens + b.cacheCreationTokens + b.cacheReadTokens, totalCost: b.cost };
        return tableRow(cols, tokenCells(`  ${shortModel(b.modelName)}`, t, r.unpricedModels.includes(b.modelName)));
      });
      if (lines.length > 0) extra.set(i, lines.join("\n"));
    } else extra.set(i, `  ${fit(r.modelsUsed.map(shortModel).join(", "), 76, "left").trimEnd()}`);
    return tokenCells("date" in r ? r.date : r.month, r, r.unpricedModels.length > 0);
  });
  const unpriced = rows.flatMap((r) => r.unpricedModels);
  const total = tableRow(cols, tokenCells("Total", totals, unpriced.length > 0));
  return `${table(cols, body, extra)}${"─".repeat(total.length)}\n${total}\n${unpricedNote(unpriced)}`;
}

export function renderSessions(rows: SessionRow[], formatTime: (iso: string) => string): string {
  if (rows.length === 0) return "No sessions in the selected period.\n";
  const ids = uniquePrefixes(rows.map((s) => s.sessionId));
  // An id lengthened to stay unique widens its column rather than being cut back to look like
  // another; the project column gives up that width first, to stay within 80 columns.
  const sessionWidth = prefixesWidth(ids);
  const cols: Column[] = [
    { title: "Session", width: sessionWidth, align: "left" },
    { title: "Project", width: Math.max(12, 28 - sessionWidth), align: "left" },
    { title: "Last activity", width: 16, align: "left" },
    { title: "Calls", width: 6, align: "right" },
    { title: "Tokens", width: 9, align: "right" },
    { title: "Cost", width: 10, align: "right" },
  ];
  const body = rows.map((s) => [
    ids.get(s.sessionId)!,
    shortProject(s.projectPath),
    formatTime(s.lastActivity),
    String(s.calls),
    compactCount(s.totalTokens),
    costCell(s.totalCost, s.unpriced),
  ]);
  return table(cols, body) + starNote(rows);
}

export function renderProjects(rows: ProjectRow[], formatTime: (iso: string) => string): string {
  if (rows.length === 0) return "No projects in the selected period.\n";
  const cols: Column[] = [
    { title: "Project", width: 20, align: "left" },
    { title: "Sessions", width: 8, align: "right" },
    { title: "Calls", width: 6, align: "right" },
    { title: "Tokens", width: 9, align: "right" },
    { title: "Cost", width: 10, align: "right" },
    { title: "Last activity", width: 16, align: "left" },
  ];
  const body = rows.map((p) => [
    shortProject(p.projectPath),
    String(p.sessions),
    String(p.calls),
    compactCount(p.totalTokens),
    costCell(p.totalCost, p.unpriced),
    formatTime(p.lastActivity),
  ]);
  return table(cols, body) + starNote(rows);
}

export function renderBlocks(blocks: Block[], formatTime: (ms: number) => string): string {
  if (blocks.length === 0) return "No 5-hour blocks in the selected period.\n";
  const cols: Column[] = [
    { title: "Start", width: 16, align: "left" },
    { title: "End", width: 5, align: "left" },
    { title: "Status", width: 6, align: "left" },
    { title: "Calls", width: 6, align: "right" },
    { title: "Tokens", width: 9, align: "right" },
    { title: "Cost", width: 10, align: "right" },
    { title: "Tok/min", width: 9, align: "right" },
  ];
  const body = blocks.map((b) => [
    formatTime(b.start),
    formatTime(b.end).slice(11),
    b.isActive ? "active" : "done",
    String(b.calls),
    compactCount(b.totalTokens),
    costCell(b.cost, b.unpriced),
    b.burnRate ? compactCount(b.burnRate.tokensPerMinute) : "-",
  ]);
  const active = blocks.find((b) => b.isActive);
  const projection = active?.projection
    ? `active block projected to ${compactCount(active.projection.totalTokens)} tokens, ${usd(active.projection.cost)} by ${formatTime(active.end).slice(11)}\n`
    : "";
  return table(cols, body) + projection + starNote(blocks);
}

export function renderModels(rows: ModelRow[], tiers: readonly CostTierDefinition[], color: boolean): string {
  if (rows.length === 0) return "No usage in the selected period.\n";
  const cols: Column[] = [
    { title: "Model", width: 20, align: "left" },
    { title: "Tier", width: 7, align: "left" },
    { title: "Input", width: 7, align: "right" },
    { title: "Output", width: 7, align: "right" },
    { title: "Cache wr", width: 8, align: "right" },
    { title: "Cache rd", width: 8, align: "right" },
    { title: "Cost", width: 10, align: "right" },
  ];
  const byId = new Map(tiers.map((t) => [t.id, t]));
  const lines = table(
    cols,
    rows.map((m) => [
      m.model,
      m.local ? "local" : m.unpriced ? "?" : (m.tier ?? "-"),
      compactCount(m.inputTokens),
      compactCount(m.outputTokens),
      compactCount(m.cacheCreationTokens),
      compactCount(m.cacheReadTokens),
      costCell(m.totalCost, m.unpriced),
    ]),
  ).split("\n");
  // Colour the tier cell after layout so escape codes never count towards widths.
  rows.forEach((m, i) => {
    const tier = m.tier === null ? undefined : byId.get(m.tier);
    if (!tier || !color) return;
    const line = lines[i + 2]!;
    const at = 22;
    const cell = line.slice(at, at + 7);
    lines[i + 2] = line.slice(0, at) + paint(cell, tier.color, true) + line.slice(at + 7);
  });
  return lines.join("\n") + unpricedNote(rows.filter((m) => m.unpriced).map((m) => m.model));
}
