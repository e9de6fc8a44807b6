import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { Config } from "../config/config.js";
import { loadConfig } from "../config/load.js";
import { parseUsageScriptOutput } from "./parse-usage-script.js";
import { createUsageScriptReader, usageScriptReader } from "./usage-script.js";

const DIR = join(import.meta.dirname, "..", "..", "fixtures", "usage-script");
const SCRIPT = join(DIR, "fake-usage-script.mjs");
const NOW = new Date("2026-09-20T12:00:00Z");
const root = mkdtempSync(join(tmpdir(), "usagetop-script-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const signal = new AbortController().signal;

describe("parseUsageScriptOutput on recorded outputs", () => {
  const cases = readdirSync(DIR).filter((f) => f.endsWith(".expected.json")).map((f) => f.replace(/\.expected\.json$/, ""));
  for (const name of cases) {
    it(name, () => {
      const expected = JSON.parse(readFileSync(join(DIR, `${name}.expected.json`), "utf8")) as {
        now: string; meters?: Array<Record<string, unknown>>; error?: string;
      };
      const r = parseUsageScriptOutput(readFileSync(join(DIR, `${name}.json`), "utf8"), new Date(expected.now));
      if (expected.error) {
        expect(r).toMatchObject({ ok: false, error: { kind: "parse", message: expected.error } });
        return;
      }
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      const got = [...r.meters].sort((a, b) => a.kind.localeCompare(b.kind));
      expect(got.map((m) => m.kind)).toEqual(expected.meters!.map((m) => m.kind));
      expected.meters!.forEach((want, i) => {
        const m = got[i]!;
        const view: Record<string, unknown> = { ...m, resetsAt: m.resetsAt?.toISOString() ?? null };
        for (const [k, v] of Object.entries(want)) {
          if (typeof v === "number") expect(view[k], `${want.kind}.${k}`).toBeCloseTo(v, 9);
          else expect(view[k], `${want.kind}.${k}`).toEqual(v);
        }
        expect(m.source).toBe("usage_script");
      });
    });
  }

  it("never throws", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue().map((j) => JSON.stringify(j)), fc.dictionary(fc.string(), fc.record({ utilization: fc.jsonValue(), resets_in_seconds: fc.jsonValue() })).map((d) => JSON.stringify(d))), (text) => {
        const r = parseUsageScriptOutput(text, NOW);
        if (r.ok) for (const m of r.meters) expect(Number.isFinite(m.utilisation)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

function configWith(command: string | string[] | undefined, noCache = false): Config {
  const base = loadConfig({ noCache }, { HOME: root, XDG_CONFIG_HOME: join(root, "cfg"), XDG_STATE_HOME: join(root, "state") });
  return { ...base, noCache, file: { ...base.file, readers: { usage_script: command === undefined ? {} : { command } } } };
}

const savedEnv = { ...process.env };
afterEach(() => {
  for (const k of ["FAKE_USAGE_SCRIPT_MODE", "FAKE_USAGE_SCRIPT_FIXTURE", "FAKE_USAGE_SCRIPT_ARGS_FILE"]) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
});

describe("usage-script reader runs a real script", () => {
  it("runs an argument list with --json (and --no-cache when asked), no shell", async () => {
    const argsFile = join(root, "args.jsonl");
    process.env.FAKE_USAGE_SCRIPT_ARGS_FILE = argsFile;
    const r = await usageScriptReader.read({ config: configWith([process.execPath, SCRIPT]), slot: null, now: NOW }, signal);
    expect(r.ok).toBe(true);
    expect(r.ok && r.meters.map((m) => [m.kind, m.utilisation]).sort()).toEqual([["five_hour", 62], ["seven_day", 31], ["seven_day_sonnet", 12.5]]);
    await usageScriptReader.read({ config: configWith([process.execPath, SCRIPT], true), slot: null, now: NOW }, signal);
    expect(readFileSync(argsFile, "utf8").trim().split("\n").map((l) => JSON.parse(l))).toEqual([["--json"], ["--json", "--no-cache"]]);
  });

  it("runs a string naming one executable, never splitting it", async () => {
    const spaced = join(root, "my script.mjs");
    writeFileSync(spaced, readFileSync(SCRIPT, "utf8").replace('join(here, `${name}.json`)', `join(${JSON.stringify(DIR)}, \`\${name}.json\`)`));
    chmodSync(spaced, 0o755);
    const r = await usageScriptReader.read({ config: configWith(spaced), slot: null, now: NOW }, signal);
    expect(r.ok).toBe(true);
  });

  it("reports a missing script, a failing one (without echoing tokens), garbage and a flood", async () => {
    const missing = await usageScriptReader.read({ config: configWith(join(root, "nope")), slot: null, now: NOW }, signal);
    expect(missing).toMatchObject({ ok: false, error: { kind: "unavailable", message: expect.stringContaining("not found") } });

    process.env.FAKE_USAGE_SCRIPT_MODE = "fail";
    const failed = await usageScriptReader.read({ config: configWith([process.execPath, SCRIPT]), slot: null, now: NOW }, signal);
    expect(failed).toMatchObject({ ok: false, error: { kind: "unavailable", message: expect.stringContaining("exited 2") } });
    expect(JSON.stringify(failed)).not.toContain("FIXTURE-ACCESS");

    process.env.FAKE_USAGE_SCRIPT_MODE = "garbage";
    const garbage = await usageScriptReader.read({ config: configWith([process.execPath, SCRIPT]), slot: null, now: NOW }, signal);
    expect(garbage).toMatchObject({ ok: false, error: { kind: "parse" } });

    process.env.FAKE_USAGE_SCRIPT_MODE = "flood";
    const flood = await usageScriptReader.read({ config: configWith([process.execPath, SCRIPT]), slot: null, now: NOW }, signal);
    expect(flood).toMatchObject({ ok: false, error: { kind: "parse", message: expect.stringContaining("over 1 MiB") } });
  });

  it("times out a script that hangs", async () => {
    process.env.FAKE_USAGE_SCRIPT_MODE = "sleep";
    const reader = createUsageScriptReader({ timeoutMs: 300 });
    const r = await reader.read({ config: configWith([process.execPath, SCRIPT]), slot: null, now: NOW }, signal);
    expect(r).toMatchObject({ ok: false, error: { kind: "timeout" } });
  });

  it("is disabled without a command", () => {
    expect(usageScriptReader.enabled(configWith(undefined))).toBe(false);
    expect(usageScriptReader.enabled(configWith(["x"]))).toBe(true);
  });
});
