// `usagetop report [daily|monthly|sessions|projects|blocks|models] [--json] [--breakdown] [--project P] [--since D] [--until D] [--order asc|desc] [--timezone TZ]`
// (SPEC 6.1): usage and cost from Claude Code transcripts, read incrementally through the
// index in the state dir. `daily --json` is ccusage-compatible.
import type { CommandContext } from "./context.js";
import { buildPriceTable } from "../model/cost.js";
import { identifyBlocks } from "../model/blocks.js";
import { resolveTiers } from "../model/tiers.js";
import {
  blockPoints,
  dailyReport,
  dayKeyIn,
  modelReport,
  monthlyReport,
  offsetIn,
  parseReportDate,
  projectReport,
  sessionReport,
} from "../model/usage-report.js";
import { loadTranscripts } from "../store/transcript-index.js";
import { BUCKET_MS, type Bucket } from "../model/usage-ledger.js";
import { readCodexUsage } from "../readers/codex.js";
import type { Config } from "../config/config.js";
import { localTimeZone, transcriptDirs, transcriptProjectDirs } from "../readers/transcripts.js";
import { projectMatches, shortProject } from "../model/project-match.js";
import { renderBlocks, renderModels, renderPeriods, renderProjects, renderSessions } from "../ui/plain/report-tables.js";

const VIEWS = ["daily", "monthly", "sessions", "projects", "blocks", "models"] as const;
type View = (typeof VIEWS)[number];

function usageError(ctx: CommandContext, message: string, hint: string): number {
  ctx.stderr.write(`usagetop report: ${message}\nhint: ${hint}\n`);
  return 1;
}

export default async function run(ctx: CommandContext): Promise<number> {
  const view = (ctx.args[0] ?? "daily") as View;
  if (!VIEWS.includes(view)) return usageError(ctx, `unknown report "${ctx.args[0]}"`, `one of ${VIEWS.join(", ")}`);
  if (ctx.args.length > 1) return usageError(ctx, `unexpected argument "${ctx.args[1]}"`, "usagetop report [daily|monthly|sessions|projects|blocks|models] [--json]");
  // An unknown --timezone was refused by the config loader, with the flag named.
  const config = ctx.config();
  const timeZone = ctx.flags.timezone ?? localTimeZone(config);
  const bound = (flag: "since" | "until"): string | null | undefined => {
    const raw = ctx.flags[flag];
    if (raw === undefined) return undefined;
    return parseReportDate(String(raw));
  };
  const since = bound("since");
  const until = bound("until");
  if (since === null) return usageError(ctx, `--since: "${ctx.flags.since}" is not a date`, "YYYYMMDD or YYYY-MM-DD");
  if (until === null) return usageError(ctx, `--until: "${ctx.flags.until}" is not a date`, "YYYYMMDD or YYYY-MM-DD");
  // Both inclusive: a period that ends before it starts holds no day, and is surely a swap.
  if (since && until && since > until) return usageError(ctx, `--since ${since} is after --until ${until}`, "swap them, or give just one");
  const order = ctx.flags.order;
  if (order !== undefined && order !== "asc" && order !== "desc") return usageError(ctx, `--order: "${order}" is neither asc nor desc`, "asc: oldest first, desc: newest first");
  // Rows come oldest first, sessions newest first (each view's natural order); --order turns them.
  const inOrder = <T>(rows: T[], natural: "asc" | "desc"): T[] => (order === undefined || order === natural ? rows : [...rows].reverse());

  const now = ctx.now();
  const data = loadTranscripts({ stateDir: config.paths.stateDir, claudeDirs: transcriptDirs(config), now });
  for (const w of data.warnings) ctx.stderr.write(`usagetop: warning: ${w}\n`);
  const codex = codexBuckets(config, now);
  for (const w of codex.warnings) ctx.stderr.write(`usagetop: warning: codex: ${w}\n`);
  let claudeBuckets = data.buckets;
  let openaiBuckets = codex.buckets;
  const project = ctx.flags.project;
  if (project !== undefined) {
    const keep = (b: Bucket): boolean => projectMatches(b.project, project);
    claudeBuckets = data.buckets.filter(keep);
    openaiBuckets = codex.buckets.filter(keep);
    // A name that no project ever had is a typo, not an empty period: say so and suggest one.
    if (claudeBuckets.length + openaiBuckets.length === 0 && data.buckets.length + codex.buckets.length > 0) {
      const names = [...new Set([...data.buckets, ...codex.buckets].map((b) => shortProject(b.project)))].sort();
      const { closestKey } = await import("../config/load.js");
      const guess = closestKey(project, names);
      // A heavy user has hundreds of projects: name a few, and where to see them all.
      const some = names.length > 8 ? `${names.slice(0, 8).join(", ")}, … (${names.length} in all: usagetop report sessions)` : names.join(", ");
      return usageError(ctx, `--project: no project "${project}"${guess ? ` (did you mean "${guess}"?)` : ""}`, `one of ${some}; or a path, or a directory name under projects/`);
    }
  }
  const buckets = [...claudeBuckets, ...openaiBuckets];
  if (buckets.length === 0 && data.stats.files === 0) {
    // An empty report on a new machine should say where it looked (stdout stays the empty report).
    ctx.stderr.write(
      `usagetop: no Claude Code transcripts under ${transcriptProjectDirs(config).join(", ")}\nhint: set CLAUDE_CONFIG_DIR, or [readers.transcripts] dirs in the config, to read them elsewhere\n`,
    );
  }
  const prices = buildPriceTable(config.file.prices);
  const options = { prices, timeZone, since, until };
  const offset = offsetIn(timeZone);
  const localTime = (ms: number): string => new Date(ms + offset(ms)).toISOString().slice(0, 16).replace("T", " ");
  const out = (text: string): void => void ctx.stdout.write(text);
  const json = (value: unknown): void => out(`${JSON.stringify(value, null, 2)}\n`);

  switch (view) {
    case "daily": {
      const r = dailyReport(buckets, options);
      r.daily = inOrder(r.daily, "asc");
      if (ctx.flags.json) {
        json({ daily: r.daily.map(({ unpricedModels, ...row }) => row), totals: r.totals, unpricedModels: unique(r.daily.flatMap((d) => d.unpricedModels)) });
      } else out(renderPeriods("Date", r.daily, r.totals, ctx.flags.breakdown));
      break;
    }
    case "monthly": {
      const r = monthlyReport(buckets, options);
      r.monthly = inOrder(r.monthly, "asc");
      if (ctx.flags.json) {
        json({ monthly: r.monthly.map(({ unpricedModels, ...row }) => row), totals: r.totals, unpricedModels: unique(r.monthly.flatMap((d) => d.unpricedModels)) });
      } else out(renderPeriods("Month", r.monthly, r.totals, ctx.flags.breakdown));
      break;
    }
    case "sessions": {
      const r = sessionReport(buckets, options);
      r.sessions = inOrder(r.sessions, "desc");
      if (ctx.flags.json) json(r);
      else out(renderSessions(r.sessions, (iso) => localTime(Date.parse(iso))));
      break;
    }
    case "projects": {
      const r = projectReport(buckets, options);
      if (ctx.flags.json) json(r);
      else out(renderProjects(r.projects, (iso) => localTime(Date.parse(iso))));
      break;
    }
    case "models": {
      const tiers = resolveTiers(config.file.cost_tiers);
      const r = modelReport(buckets, { ...options, tiers });
      if (ctx.flags.json) json({ ...r, tiers });
      else out(renderModels(r.models, tiers, config.color));
      break;
    }
    case "blocks": {
      const dayOf = dayKeyIn(timeZone);
      // 5-hour blocks are an Anthropic window: Codex sessions stay out of them.
      const blocks = inOrder(
        identifyBlocks(blockPoints(claudeBuckets, prices), now.getTime()).filter((b) => {
          const day = dayOf(b.start);
          return !((since && day < since) || (until && day > until));
        }),
        "asc",
      );
      if (ctx.flags.json) {
        json({
          blocks: blocks.map((b) => ({
            ...b,
            start: new Date(b.start).toISOString(),
            end: new Date(b.end).toISOString(),
            firstActivity: new Date(b.firstActivity).toISOString(),
            lastActivity: new Date(b.lastActivity).toISOString(),
          })),
        });
      } else out(renderBlocks(blocks, localTime));
      break;
    }
  }
  return 0;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)].sort();
}

/**
 * Codex sessions as buckets of provider `openai` (SPEC 3.2.6). Codex records cumulative totals
 * per session, not per call, so a session's whole usage is dated at its newest token_count
 * line; cached input is a subset of input (priced as cache reads), reasoning a subset of output.
 * Not under --demo (the demo reads no user files) and not when the codex reader is disabled.
 */
function codexBuckets(config: Config, now: Date): { buckets: Bucket[]; warnings: string[] } {
  if (config.demo || config.file.readers?.codex?.enabled === false) return { buckets: [], warnings: [] };
  try {
    const { sessions, warnings } = readCodexUsage(config, now);
    const buckets = sessions.map((s): Bucket => {
      const at = Date.parse(s.timestamp);
      const tokens = { input: Math.max(0, s.input - s.cachedInput), output: s.output, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: s.cachedInput };
      return {
        start: Math.floor(at / BUCKET_MS) * BUCKET_MS,
        model: s.model ?? "codex-unknown",
        sessionId: s.sessionId,
        project: "codex",
        minTs: at,
        maxTs: at,
        calls: 1,
        tokens,
        reportedCost: 0,
        reportedTokens: { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 },
        sidechainCalls: 0,
      };
    });
    return { buckets, warnings };
  } catch (err) {
    return { buckets: [], warnings: [`not read (${err instanceof Error ? err.message : String(err)})`] };
  }
}
