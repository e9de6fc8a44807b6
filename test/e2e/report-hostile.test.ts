// Hostile transcripts at full size, end to end (issue #8): a 1 GB file without a newline, a
// 100 MB line, binary garbage and wrong types beside ordinary lines. The built CLI must finish,
// count every ordinary line, name each bad file and line in one warning, and keep its memory
// bounded (lines over the 32 MB cap are skipped without being held).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, openSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { reportEnv } from "../run-cli.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "bin", "usagetop.js");
const MB = 1024 * 1024;

let root: string;
let env: Record<string, string>;
let projects: string;

function call(id: string, input: number, output: number): string {
  return JSON.stringify({
    type: "assistant",
    sessionId: "s-hostile",
    requestId: `req_${id}`,
    timestamp: "2026-03-02T10:00:00.000Z",
    message: { id: `msg_${id}`, model: "claude-sonnet-4-5-20250929", content: [{ type: "text", text: "ok" }], stop_reason: null, stop_sequence: null, usage: { input_tokens: input, output_tokens: output } },
  });
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "usagetop-hostile-"));
  projects = join(root, "claude", "projects", "-home-dev-h");
  mkdirSync(projects, { recursive: true });
  mkdirSync(join(root, "home"));
  // 1 GB without a single newline: a sparse file, so the test costs no disk.
  const nonl = join(projects, "no-newline.jsonl");
  writeFileSync(nonl, "");
  truncateSync(nonl, 1024 * MB);
  // An ordinary line, a 100 MB line that even holds `"usage"`, another ordinary line.
  const fd = openSync(join(projects, "long-line.jsonl"), "w");
  writeSync(fd, `${call("a", 10, 1)}\n{"message":{"usage":{"input_tokens":1}},"pad":"`);
  const block = Buffer.alloc(MB, "x");
  for (let i = 0; i < 100; i++) writeSync(fd, block);
  writeSync(fd, `"}\n${call("b", 20, 2)}\n`);
  closeSync(fd);
  // Binary garbage between ordinary lines; wrong types where numbers belong.
  const garbage = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 131 + 7) % 256));
  writeFileSync(join(projects, "garbage.jsonl"), Buffer.concat([Buffer.from(`${call("c", 30, 3)}\n`), garbage, Buffer.from(`\n${call("d", 40, 4)}\n`)]));
  const wrong = call("e", 50, 5).replace('"input_tokens":50', '"input_tokens":"fifty"');
  writeFileSync(join(projects, "wrong-types.jsonl"), `${wrong}\n${call("f", 60, 6)}\n{"message":{"usage":[]},"timestamp":"2026-03-02T10:00:00.000Z"}\n`);
  env = reportEnv(root);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the report, sampling the child's peak RSS (VmHWM) from /proc while it runs. */
async function reportWithPeak(): Promise<{ stdout: string; stderr: string; exitCode: number | undefined; peakMb: number }> {
  const child = execa("node", [BIN, "report", "daily", "--json", "--timezone", "UTC"], { env, extendEnv: false, reject: false, timeout: 120_000 });
  let peakKb = 0;
  const sample = (): void => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      // exited between samples
    }
  };
  const timer = setInterval(sample, 5);
  const r = await child;
  clearInterval(timer);
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode, peakMb: peakKb / 1024 };
}

describe("usagetop report on hostile transcripts at full size", () => {
  it("counts every ordinary line, names each bad file and line, and stays within bounded memory", async () => {
    const r = await reportWithPeak();
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout);
    // a..f minus e (wrong types): inputs 10+20+30+40+60, outputs 1+2+3+4+6.
    expect(report.totals).toMatchObject({ inputTokens: 160, outputTokens: 16 });
    const warnings = r.stderr.split("\n").filter((l) => l.startsWith("usagetop: warning:"));
    expect(warnings.find((w) => w.includes("over 33554432 bytes"))).toMatch(/2 transcript line\(s\) over 33554432 bytes skipped; first at .*(long-line|no-newline)\.jsonl:[12]/);
    expect(warnings.find((w) => w.includes("invalid"))).toMatch(/invalid transcript line\(s\) skipped in 2 file\(s\); first at .*(garbage|wrong-types)\.jsonl:\d+/);
    expect(warnings).toHaveLength(2);
    // Sampled peak RSS: Node and the CLI (~75 MB on the 50 MB benchmark) plus at most the 32 MB
    // cap of a long line, held until it passes the cap; neither the 1 GB nor the 100 MB line is.
    console.log(`peak RSS ${r.peakMb.toFixed(0)} MB`);
    if (process.platform === "linux") expect(r.peakMb).toBeGreaterThan(0);
    expect(r.peakMb).toBeLessThan(200);
  });

  it("reads none of it again on the next run, and gives the same totals", async () => {
    const r = await reportWithPeak();
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).totals).toMatchObject({ inputTokens: 160, outputTokens: 16 });
    expect(r.stderr).toBe("");
  });
});
