import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/load.js";
import { codexIndexPath, codexReader, readCodexMeters, readCodexUsage, refreshCodexIndex } from "./codex.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/codex");
const NOW = new Date("2026-09-16T13:00:00Z");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "usagetop-codex-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function configFor(home: string) {
  return loadConfig({}, { HOME: dir, XDG_STATE_HOME: join(dir, "state"), XDG_CONFIG_HOME: join(dir, "config"), CODEX_HOME: home });
}

function copyHome(name: string): string {
  const home = join(dir, name);
  cpSync(join(FIXTURES, name), home, { recursive: true });
  return home;
}

type ExpectedCodex = {
  meters: Array<Record<string, unknown>>;
  warnings: string[];
  sessions: Array<Record<string, unknown>>;
};

describe("codex reader on fixtures", () => {
  for (const name of ["home-plus", "home-weekly-only", "home-team-monthly"]) {
    it(name, async () => {
      const home = copyHome(name);
      const exp = JSON.parse(readFileSync(join(FIXTURES, `${name}.expected.json`), "utf8")) as ExpectedCodex;
      const config = configFor(home);
      const result = await codexReader.read({ config, slot: null, now: NOW }, new AbortController().signal);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(
        result.meters.map((m) => ({
          kind: m.kind,
          label: m.label,
          utilisation: m.utilisation,
          resetsAt: m.resetsAt?.toISOString() ?? null,
          windowSeconds: m.windowSeconds,
          observedAt: m.observedAt.toISOString(),
        })),
      ).toEqual(exp.meters);
      for (const m of result.meters) expect(m).toMatchObject({ source: "codex", estimated: false, unit: "percent" });
      for (const w of exp.warnings) expect(result.warnings?.join("\n")).toContain(w);
      if (exp.warnings.length === 0) expect(result.warnings).toEqual([]);
      const usage = readCodexUsage(config, NOW);
      expect(usage.sessions.map(({ file: _f, ...s }) => s)).toEqual(exp.sessions);
    });
  }

  it("names the missing sessions dir as unavailable", async () => {
    const result = await codexReader.read({ config: configFor(join(dir, "no-codex")), slot: null, now: NOW }, new AbortController().signal);
    expect(result).toEqual({ ok: false, error: { kind: "unavailable", message: `no Codex sessions at ${join(dir, "no-codex", "sessions")}` } });
  });

  it("says why when rollouts carry no rate limits (API-key sessions)", async () => {
    const home = join(dir, "apikey");
    mkdirSync(join(home, "sessions"), { recursive: true });
    writeFileSync(
      join(home, "sessions", "rollout-x.jsonl"),
      JSON.stringify({ timestamp: "2026-09-16T12:30:00.000Z", type: "event_msg", payload: { type: "token_count", info: null, rate_limits: null } }) + "\n",
    );
    const result = readCodexMeters(configFor(home), NOW);
    expect(result).toMatchObject({ ok: false, error: { kind: "unavailable" } });
    if (!result.ok) expect(result.error.message).toMatch(/no rate limits in 1 Codex rollout file/);
  });

  it("honours readers.codex.home over CODEX_HOME", () => {
    const home = copyHome("home-weekly-only");
    mkdirSync(join(dir, "config", "usagetop"), { recursive: true });
    writeFileSync(join(dir, "config", "usagetop", "config.toml"), `[readers.codex]\nhome = ${JSON.stringify(home)}\n`);
    const result = readCodexMeters(configFor(join(dir, "elsewhere")), NOW);
    expect(result.ok).toBe(true);
  });
});

describe("codex incremental tail", () => {
  const tokenLine = (ts: string, used: number) =>
    JSON.stringify({
      timestamp: ts,
      type: "event_msg",
      payload: { type: "token_count", info: null, rate_limits: { limit_id: "codex", primary: { used_percent: used, window_minutes: 300, resets_at: 1789393200 }, secondary: null } },
    }) + "\n";
  const filler = (n: number) =>
    Array.from({ length: n }, (_, i) => JSON.stringify({ timestamp: "2026-09-14T09:00:00.000Z", type: "response_item", payload: { type: "message", text: `x${i}` } }) + "\n").join("");

  function setup() {
    const home = join(dir, "codex");
    const sessions = join(home, "sessions", "2026", "09", "14");
    mkdirSync(sessions, { recursive: true });
    const file = join(sessions, "rollout-2026-09-14T09-00-00-0199a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b.jsonl");
    writeFileSync(file, filler(200) + tokenLine("2026-09-14T09:10:00.000Z", 10));
    return { config: configFor(home), file };
  }
  const used = (r: ReturnType<typeof readCodexMeters>) => (r.ok ? r.meters.map((m) => m.utilisation) : r.error.message);

  it("reads only appended bytes on the next read, and nothing when nothing changed", () => {
    const { config, file } = setup();
    const cold = refreshCodexIndex(config, NOW);
    expect(cold.bytesRead).toBeGreaterThanOrEqual(statSync(file).size);
    const idle = refreshCodexIndex(config, NOW);
    expect(idle.bytesRead).toBe(0);
    const added = tokenLine("2026-09-14T09:20:00.000Z", 20);
    appendFileSync(file, added);
    const warm = refreshCodexIndex(config, NOW);
    // The appended line plus the 64-byte head check, nothing else.
    expect(warm.bytesRead).toBe(Buffer.byteLength(added) + 64);
    expect(used(readCodexMeters(config, NOW))).toEqual([20]);
  });

  it("keeps the index atomic and private", () => {
    const { config } = setup();
    refreshCodexIndex(config, NOW);
    const path = codexIndexPath(config);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(config.paths.stateDir).mode & 0o777).toBe(0o700);
    expect(readdirSync(config.paths.stateDir).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  it("completes a line written in two parts", () => {
    const { config, file } = setup();
    refreshCodexIndex(config, NOW);
    const l = tokenLine("2026-09-14T09:30:00.000Z", 30);
    appendFileSync(file, l.slice(0, 40));
    expect(used(readCodexMeters(config, NOW))).toEqual([10]);
    appendFileSync(file, l.slice(40));
    expect(used(readCodexMeters(config, NOW))).toEqual([30]);
  });

  it("uses a complete last line that lacks its newline at once", () => {
    const { config, file } = setup();
    refreshCodexIndex(config, NOW);
    appendFileSync(file, tokenLine("2026-09-14T09:40:00.000Z", 40).trimEnd());
    expect(used(readCodexMeters(config, NOW))).toEqual([40]);
    appendFileSync(file, "\n" + tokenLine("2026-09-14T09:41:00.000Z", 41));
    expect(used(readCodexMeters(config, NOW))).toEqual([41]);
  });

  it("re-reads a truncated file from the start", () => {
    const { config, file } = setup();
    refreshCodexIndex(config, NOW);
    truncateSync(file, 0);
    appendFileSync(file, tokenLine("2026-09-14T08:00:00.000Z", 5));
    expect(used(readCodexMeters(config, NOW))).toEqual([5]);
  });

  it("re-reads a rotated file (new inode at the same path)", () => {
    const { config, file } = setup();
    refreshCodexIndex(config, NOW);
    const other = file + ".new";
    writeFileSync(other, filler(300) + tokenLine("2026-09-14T07:00:00.000Z", 7));
    renameSync(other, file);
    expect(used(readCodexMeters(config, NOW))).toEqual([7]);
  });

  it("re-reads a file rewritten in place with different first bytes", () => {
    const { config, file } = setup();
    refreshCodexIndex(config, NOW);
    const size = statSync(file).size;
    const rewritten = tokenLine("2026-09-14T06:00:00.000Z", 6);
    writeFileSync(file, rewritten + " ".repeat(Math.max(0, size - rewritten.length)) + "\n" + filler(5));
    expect(used(readCodexMeters(config, NOW))).toEqual([6]);
  });

  it("forgets deleted files", () => {
    const { config, file } = setup();
    refreshCodexIndex(config, NOW);
    rmSync(file);
    const r = refreshCodexIndex(config, NOW);
    expect(Object.keys(r.index.files)).toEqual([]);
  });

  it("moves a corrupt index aside and rebuilds it", () => {
    const { config } = setup();
    refreshCodexIndex(config, NOW);
    writeFileSync(codexIndexPath(config), "{ not json");
    const r = refreshCodexIndex(config, NOW);
    expect(r.warnings.join()).toMatch(/corrupt.*moved aside/);
    expect(used(readCodexMeters(config, NOW))).toEqual([10]);
    expect(readdirSync(config.paths.stateDir).some((f) => f.startsWith("codex-index.json.corrupt-"))).toBe(true);
    expect(existsSync(codexIndexPath(config))).toBe(true);
  });
});
