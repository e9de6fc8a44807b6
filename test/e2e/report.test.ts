// `usagetop report` end to end: the built binary (run `npm run build` first) on the recorded
// fixture tree, against a hand-computed expected file.
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { reportEnv } from "../run-cli.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "bin", "usagetop.js");
const FIXTURE = join(ROOT, "fixtures", "transcripts", "basic");
const expected = JSON.parse(readFileSync(join(FIXTURE, "expected-daily.json"), "utf8"));

let root: string;
let env: Record<string, string>;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "usagetop-report-e2e-"));
  cpSync(FIXTURE, join(root, "claude"), { recursive: true });
  mkdirSync(join(root, "home"));
  env = reportEnv(root);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = (...args: string[]) => execa("node", [BIN, "report", ...args], { env, extendEnv: false, reject: false });

/** Costs are floating sums: compare them to 1e-9, everything else exactly. */
function rounded(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (_k, v) => (typeof v === "number" ? Math.round(v * 1e9) / 1e9 : v));
}

describe("usagetop report", () => {
  it("daily --json matches the hand-computed ccusage-compatible file", async () => {
    const r = await run("daily", "--json", "--timezone", "UTC");
    expect(r.exitCode).toBe(0);
    expect(rounded(JSON.parse(r.stdout))).toEqual(rounded(expected));
    expect(r.stderr).toMatch(/11111111-aaaa-4aaa-8aaa-000000000001\.jsonl:5/);
  });

  it("gives the same answer without WebAssembly (node --jitless): every line through the JavaScript parser", async () => {
    const r = await execa("node", ["--jitless", BIN, "report", "daily", "--json", "--timezone", "UTC"], {
      env: { ...env, XDG_STATE_HOME: join(root, "state-jitless") },
      extendEnv: false,
      reject: false,
    });
    expect(r.exitCode).toBe(0);
    expect(rounded(JSON.parse(r.stdout))).toEqual(rounded(expected));
  });

  it("gives the same answer warm, from the index", async () => {
    const r = await run("daily", "--json", "--timezone", "UTC");
    expect(rounded(JSON.parse(r.stdout))).toEqual(rounded(expected));
    expect(r.stderr).toBe("");
    expect(readdirSync(join(root, "state", "usagetop", "transcripts"))).toEqual(["index.json"]);
  });

  it("dates calls in --timezone and filters with --since/--until", async () => {
    const tokyo = JSON.parse((await run("daily", "--json", "--timezone", "Asia/Tokyo")).stdout);
    expect(tokyo.daily.map((d: { date: string; totalTokens: number }) => [d.date, d.totalTokens])).toEqual([
      ["2026-01-05", 16450],
      ["2026-01-06", 1755],
      ["2026-01-07", 2206],
    ]);
    const one = JSON.parse((await run("daily", "--json", "--timezone", "UTC", "--since", "20260106", "--until", "2026-01-06")).stdout);
    expect(one.daily.map((d: { date: string }) => d.date)).toEqual(["2026-01-06"]);
    expect(one.totals.totalTokens).toBe(3755);
  });

  it("prints every view as plain text within 80 columns", async () => {
    for (const view of ["daily", "monthly", "sessions", "projects", "blocks", "models"]) {
      const r = await run(view, "--timezone", "UTC");
      expect(r.exitCode, view).toBe(0);
      expect(r.stdout).not.toMatch(/\u001b\[/);
      for (const line of r.stdout.split("\n")) expect(line.length, `${view}: ${line}`).toBeLessThanOrEqual(80);
    }
    const daily = (await run("daily", "--timezone", "UTC")).stdout;
    expect(daily).toMatch(/^2026-01-05 .*\$0\.04$/m);
    expect(daily).toMatch(/unpriced.*claude-experimental-9/);
    const models = (await run("models", "--timezone", "UTC")).stdout;
    expect(models).toMatch(/claude-opus-4-5\s+premium/);
  });

  it("daily --breakdown puts one row per model under each day, as daily --json's modelBreakdowns", async () => {
    const r = await run("daily", "--breakdown", "--timezone", "UTC");
    expect(r.exitCode).toBe(0);
    for (const line of r.stdout.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);
    const lines = r.stdout.split("\n");
    for (const day of expected.daily as Array<{ date: string; modelBreakdowns: Array<{ modelName: string }> }>) {
      const at = lines.findIndex((l) => l.startsWith(`${day.date} `));
      expect(at, day.date).toBeGreaterThan(0);
      const rows = lines.slice(at + 1, at + 1 + day.modelBreakdowns.length).map((l) => l.trim().split(/\s+/)[0]);
      // The short name, cut to the 12 characters the indented column holds.
      const short = (m: string) => m.replace(/^claude-/, "").replace(/-\d{8}$/, "");
      expect(rows).toEqual(day.modelBreakdowns.map((b) => (short(b.modelName).length > 12 ? `${short(b.modelName).slice(0, 11)}…` : short(b.modelName))));
    }
  });

  it("--project keeps one project's calls, by short name, directory name or path, and names a typo", async () => {
    const sessions = JSON.parse((await run("sessions", "--json", "--timezone", "UTC")).stdout).sessions as Array<{ projectPath: string; totalTokens: number; totalCost: number }>;
    const alpha = sessions.filter((x) => x.projectPath === "-home-dev-alpha");
    expect(alpha.length).toBeGreaterThan(0);
    for (const name of ["alpha", "-home-dev-alpha", "/home/dev/alpha"]) {
      // `--project=NAME`: a directory name starts with "-", which would read as a flag.
      const r = await run("daily", "--json", "--timezone", "UTC", `--project=${name}`);
      expect(r.exitCode, name).toBe(0);
      const totals = JSON.parse(r.stdout).totals;
      expect(totals.totalTokens, name).toBe(alpha.reduce((a, x) => a + x.totalTokens, 0));
      expect(totals.totalCost, name).toBeCloseTo(alpha.reduce((a, x) => a + x.totalCost, 0), 9);
    }
    const typo = await run("daily", "--project", "alpah");
    expect(typo.exitCode).toBe(1);
    expect(typo.stderr.split("\n")[0]).toBe('usagetop report: --project: no project "alpah" (did you mean "alpha"?)');
    expect(typo.stderr.split("\n")[1]).toBe("hint: one of alpha, beta; or a path, or a directory name under projects/");
  });

  it("--project with many projects names a few in its hint, and where to see them all", async () => {
    const box = mkdtempSync(join(tmpdir(), "usagetop-report-projects-"));
    try {
      for (let i = 0; i < 12; i++) {
        const dir = join(box, "claude", "projects", `-home-dev-p${String(i).padStart(2, "0")}`);
        mkdirSync(dir, { recursive: true });
        const line = { type: "assistant", sessionId: `s${i}`, requestId: `req_${i}`, timestamp: "2026-01-05T10:00:00.000Z", message: { id: `msg_${i}`, model: "claude-sonnet-4-5-20250929", content: [], usage: { input_tokens: 1, output_tokens: 1 } } };
        appendFileSync(join(dir, `s${i}.jsonl`), `${JSON.stringify(line)}\n`);
      }
      mkdirSync(join(box, "home"));
      const r = await execa("node", [BIN, "report", "--project", "nope"], { env: reportEnv(box), extendEnv: false, reject: false });
      expect(r.exitCode).toBe(1);
      expect(r.stderr.split("\n")[1]).toBe("hint: one of p00, p01, p02, p03, p04, p05, p06, p07, … (12 in all: usagetop report sessions); or a path, or a directory name under projects/");
    } finally {
      rmSync(box, { recursive: true, force: true });
    }
  });

  it("--order turns each view's rows, in text and JSON alike, and refuses anything but asc or desc", async () => {
    const daily = async (...extra: string[]) => (JSON.parse((await run("daily", "--json", "--timezone", "UTC", ...extra)).stdout).daily as Array<{ date: string }>).map((d) => d.date);
    const asc = await daily();
    expect(asc).toEqual([...asc].sort());
    expect(await daily("--order", "asc")).toEqual(asc);
    expect(await daily("--order", "desc")).toEqual([...asc].reverse());
    const sessions = async (...extra: string[]) => (JSON.parse((await run("sessions", "--json", ...extra)).stdout).sessions as Array<{ lastActivity: string }>).map((x) => x.lastActivity);
    const newestFirst = await sessions();
    expect(newestFirst).toEqual([...newestFirst].sort().reverse());
    expect(await sessions("--order", "asc")).toEqual([...newestFirst].reverse());
    const text = (await run("daily", "--order", "desc", "--timezone", "UTC")).stdout.split("\n").filter((l) => /^\d{4}-\d\d-\d\d /.test(l)).map((l) => l.slice(0, 10));
    expect(text).toEqual([...asc].reverse());
    const swapped = await run("daily", "--since", "20260110", "--until", "2026-01-05");
    expect(swapped.exitCode).toBe(1);
    expect(swapped.stderr.split("\n")[0]).toBe("usagetop report: --since 2026-01-10 is after --until 2026-01-05");
    const bad = await run("daily", "--order", "newest");
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr.split("\n")[0]).toBe('usagetop report: --order: "newest" is neither asc nor desc');
  });

  it("processes reading and indexing at once, while lines are appended, end where one fresh read does", async () => {
    const box = mkdtempSync(join(tmpdir(), "usagetop-report-race-"));
    try {
      cpSync(FIXTURE, join(box, "claude"), { recursive: true });
      mkdirSync(join(box, "home"));
      const boxEnv = reportEnv(box);
      const report = (env: Record<string, string>) => execa("node", [BIN, "report", "daily", "--json", "--timezone", "UTC"], { env, extendEnv: false, reject: false });
      const file = join(box, "claude", "projects", "-home-dev-alpha", readdirSync(join(box, "claude", "projects", "-home-dev-alpha")).find((f) => f.endsWith(".jsonl"))!);
      for (let round = 0; round < 3; round++) {
        const runs = Array.from({ length: 5 }, () => report(boxEnv));
        for (let k = 0; k < 4; k++) {
          const line = { type: "assistant", sessionId: "race", requestId: `req_race_${round}_${k}`, timestamp: `2026-01-08T10:0${k}:00.000Z`, message: { id: `msg_race_${round}_${k}`, model: "claude-sonnet-4-5-20250929", content: [], usage: { input_tokens: 100 + k, output_tokens: 10 } } };
          appendFileSync(file, `${JSON.stringify(line)}\n`);
          await new Promise((r) => setTimeout(r, 20));
        }
        for (const r of await Promise.all(runs)) expect(r.exitCode, r.stderr).toBe(0);
      }
      const shared = await report(boxEnv);
      const fresh = await report({ ...boxEnv, XDG_STATE_HOME: join(box, "fresh-state") });
      expect(JSON.parse(shared.stdout)).toEqual(JSON.parse(fresh.stdout));
      // Every appended call is in it: 12 lines on 2026-01-08.
      const day = JSON.parse(fresh.stdout).daily.find((d: { date: string }) => d.date === "2026-01-08");
      expect(day.inputTokens).toBe(3 * (100 + 101 + 102 + 103));
    } finally {
      rmSync(box, { recursive: true, force: true });
    }
  });

  it("gives every view as JSON", async () => {
    const sessions = JSON.parse((await run("sessions", "--json")).stdout);
    expect(sessions.sessions.map((s: { sessionId: string; calls: number }) => [s.sessionId.slice(0, 8), s.calls])).toEqual([
      ["22222222", 4],
      ["11111111", 4],
    ]);
    const blocks = JSON.parse((await run("blocks", "--json")).stdout);
    expect(blocks.blocks.map((b: { start: string; totalTokens: number }) => [b.start, b.totalTokens])).toEqual([
      ["2026-01-05T10:00:00.000Z", 16450],
      ["2026-01-06T09:00:00.000Z", 1755],
      ["2026-01-06T23:00:00.000Z", 2206],
    ]);
    const models = JSON.parse((await run("models", "--json")).stdout);
    expect(models.models.find((m: { model: string }) => m.model === "claude-experimental-9")).toMatchObject({ unpriced: true, tier: null });
    const monthly = JSON.parse((await run("monthly", "--json")).stdout);
    expect(monthly.monthly[0]).toMatchObject({ month: "2026-01", totalTokens: 20411 });
    // Projects: the sessions summed per project, costliest first, adding up to the month.
    const projects = JSON.parse((await run("projects", "--json")).stdout);
    expect(projects.projects.map((p: { projectPath: string; sessions: number; calls: number }) => [p.projectPath, p.sessions, p.calls])).toEqual([
      ["-home-dev-beta", 1, 4],
      ["-home-dev-alpha", 1, 4],
    ]);
    expect(projects.totals.totalTokens).toBe(20411);
  });

  it("refuses bad flags with one line naming the flag", async () => {
    const tz = await run("daily", "--timezone", "Mars/Olympus");
    expect(tz.exitCode).toBe(1);
    expect(tz.stderr.split("\n")[0]).toMatch(/--timezone: unknown time zone "Mars\/Olympus"/);
    const since = await run("daily", "--since", "last-week");
    expect(since.exitCode).toBe(1);
    expect(since.stderr).toMatch(/--since/);
    const view = await run("weekly");
    expect(view.exitCode).toBe(1);
    expect(view.stderr).toMatch(/unknown report "weekly"/);
  });

  it("adds Codex sessions as provider openai (models and days, not 5-hour blocks)", async () => {
    const withCodex = { ...env, CODEX_HOME: join(ROOT, "fixtures", "codex", "home-plus"), XDG_STATE_HOME: join(root, "state-codex") };
    const r = await execa("node", [BIN, "report", "models", "--json"], { env: withCodex, extendEnv: false, reject: false });
    expect(r.exitCode).toBe(0);
    const models = JSON.parse(r.stdout).models as { model: string; provider: string }[];
    expect(models.filter((m) => m.provider === "openai").map((m) => m.model).sort()).toEqual(["gpt-5-codex", "gpt-5.3-codex"]);
    const blocks = await execa("node", [BIN, "report", "blocks", "--json"], { env: withCodex, extendEnv: false, reject: false });
    expect(JSON.parse(blocks.stdout).blocks).toHaveLength(3);
  });

  it("says where it looked when there are no transcripts at all (stdout stays a valid empty report)", async () => {
    const empty = join(root, "no-claude");
    const r = await execa("node", [BIN, "report", "daily", "--json"], { env: { ...env, CLAUDE_CONFIG_DIR: empty, XDG_STATE_HOME: join(root, "state-empty") }, extendEnv: false, reject: false });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).daily).toEqual([]);
    expect(r.stderr).toContain(`no Claude Code transcripts under ${join(empty, "projects")}`);
    // With transcripts there is no such line.
    expect((await run("daily", "--json")).stderr).not.toContain("no Claude Code transcripts");
  });

  it("--demo reads the shipped demo tree and writes nothing under HOME", async () => {
    const r = await execa("node", [BIN, "--demo", "report", "daily", "--json"], { env, extendEnv: false, reject: false });
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.daily.length).toBeGreaterThanOrEqual(5);
    expect(out.daily.flatMap((d: { modelsUsed: string[] }) => d.modelsUsed)).toContain("claude-haiku-4-5-20251001");
    expect(existsSync(join(root, "home", ".local"))).toBe(false);
  });
});
