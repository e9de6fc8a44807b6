// `usagetop gptme --json` end to end (SPEC 2.6, 3.2.5): gptme-subscription's usage-script contract
// from live reads (the fake Anthropic endpoint), and a round trip through usagetop's own
// usage-script reader: `[readers.usage_script] command = [node, usagetop, gptme]` gives back
// the same meters (0..1 in the contract, 0..100 in usagetop). No token in any output.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, sandbox, type Sandbox } from "../../bench/serve-load.mjs";
import { runCli, tempHome } from "../run-cli.js";

const TOKENS = /FIXTURE-(ACCESS|REFRESH)/;
let box: Sandbox;
const outputs: string[] = [];

beforeAll(async () => {
  box = await sandbox();
});
afterAll(async () => {
  await box?.cleanup();
});

async function usagetop(args: string[], env: Record<string, string> = box.env) {
  const r = await runCli(args, env);
  outputs.push(String(r.stdout), String(r.stderr));
  return r;
}

describe("usagetop gptme --json", () => {
  it("prints the contract: windows as fractions with resets_in_seconds, and _pacing", async () => {
    const r = await usagetop(["gptme", "--json"]);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const doc = JSON.parse(String(r.stdout));
    expect(doc.five_hour.utilization).toBe(0.62);
    expect(doc.five_hour.resets_in_seconds).toBeGreaterThan(5800);
    expect(doc.five_hour.resets_in_seconds).toBeLessThanOrEqual(6000);
    expect(doc.seven_day.utilization).toBe(0.31);
    expect(doc.seven_day_sonnet.utilization).toBe(0.12);
    // extra_usage is disabled in the body, so absent; pools never appear as windows anyway.
    expect(doc.extra_usage).toBeUndefined();
    expect(doc._pacing).toMatchObject({ status: expect.stringMatching(/^(overusing|underusing|on_track)$/), window: expect.any(String) });
    expect(doc._pacing.actual_utilization).toBeGreaterThanOrEqual(0);
    expect(doc._pacing.target_utilization).toBeGreaterThanOrEqual(0);
    expect(doc._source).toBe("usagetop");
  });

  it("round-trips through the usage-script reader (0..1 <-> 0..100)", async () => {
    const inner = join(box.root, "inner.toml");
    const outer = join(box.root, "outer.toml");
    writeFileSync(inner, "[readers.usage_screen]\nenabled = false\n\n[readers.ollama]\nenabled = false\n");
    writeFileSync(
      outer,
      `[readers.oauth]\nenabled = false\n\n[readers.claude_cache]\nenabled = false\n\n[readers.usage_screen]\nenabled = false\n\n[readers.ollama]\nenabled = false\n\n[readers.usage_script]\ncommand = [${JSON.stringify(process.execPath)}, ${JSON.stringify(BIN)}, "--config", ${JSON.stringify(inner)}, "gptme"]\n`,
    );
    const direct = JSON.parse(String((await usagetop(["--config", inner, "gptme", "--json"])).stdout));
    const r = await usagetop(["--config", outer, "--no-cache", "--once", "--json"]);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const doc = JSON.parse(String(r.stdout));
    const script = doc.meters.filter((m: { source: string }) => m.source === "usage_script");
    expect(script.map((m: { kind: string }) => m.kind).sort()).toEqual(Object.keys(direct).filter((k) => !k.startsWith("_")).sort());
    for (const m of script) {
      expect(m.utilisation).toBeCloseTo(direct[m.kind].utilization * 100, 6);
      // The relative reset comes back as an instant within a few seconds of the original.
      expect(Math.abs(Date.parse(m.resetsAt) - Date.parse(direct[m.kind].resets_at))).toBeLessThan(5000);
    }
    expect(doc.governing).toEqual({ kind: "five_hour", utilisation: 62 });
  });

  it("prints the contract's error shape and exits 3 with no data; insists on --json", async () => {
    const empty = tempHome("usagetop-gptme-empty-");
    try {
      const r = await usagetop(["gptme", "--json"], empty.env);
      expect(r.exitCode).toBe(3);
      expect(JSON.parse(String(r.stdout)).error).toMatch(/no usable data/);
      const plain = await usagetop(["gptme"], empty.env);
      expect(plain.exitCode).toBe(1);
      expect(String(plain.stderr)).toMatch(/--json/);
    } finally {
      empty.cleanup();
    }
  });

  it("never printed a token", () => {
    for (const o of outputs) expect(o).not.toMatch(TOKENS);
  });
});
