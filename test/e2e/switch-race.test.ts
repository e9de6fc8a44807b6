// Two switchers racing (SPEC 5.3.3): our O_EXCL switch lock must make every switch whole. The
// check: in switches.jsonl each line's `from` equals the previous line's `to` (a switch that read
// the live link while another was flipping it would break the chain), every line parses, the
// live link ends where the last line says, and the log holds exactly the switches that reported
// success.
import { execa } from "execa";
import { readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeSandbox, runSandboxCli, sha256File, type Sandbox } from "../slot-sandbox.js";

const CHILD = join(import.meta.dirname, "..", "switch-loop-child.mjs");
const SLOTS = ["a", "b", "c"];

function checkChain(sb: Sandbox, first: string) {
  const lines = readFileSync(join(sb.stateDir, "switches.jsonl"), "utf8").split("\n").filter(Boolean);
  const entries = lines.map((l) => JSON.parse(l) as { from: string | null; to: string });
  let prev = first;
  entries.forEach((e, i) => {
    expect(e.from, `line ${i + 1}`).toBe(prev);
    expect(e.to).not.toBe(e.from);
    prev = e.to;
  });
  expect(readlinkSync(join(sb.credsDir, ".credentials.json"))).toBe(`.credentials.json.${prev}`);
  return entries.length;
}

describe("two switch processes racing", () => {
  let sb: Sandbox;
  const hashes = new Map<string, string>();
  beforeEach(() => {
    sb = makeSandbox();
    for (const s of SLOTS) hashes.set(s, sha256File(sb.writeSlot(s)));
    sb.link(".credentials.json.a");
  });
  afterEach(() => sb.cleanup());

  it("200 switches each never interleave", async () => {
    const env = { ...sb.env, PATH: process.env.PATH ?? "" };
    const run = () => execa("node", [CHILD, "200", SLOTS.join(","), "--random", "--pause-ms", "2"], { env, extendEnv: false });
    const [x, y] = await Promise.all([run(), run()]);
    const sx = JSON.parse(x.stdout.trim().split("\n").at(-1)!);
    const sy = JSON.parse(y.stdout.trim().split("\n").at(-1)!);
    for (const s of [sx, sy]) {
      expect(s.refused).toBe(0);
      expect(s.switched + s.unchanged + s.deferred).toBe(200);
      expect(s.switched).toBeGreaterThan(0);
    }
    const logged = checkChain(sb, "a");
    expect(logged).toBe(sx.switched + sy.switched);
    for (const s of SLOTS) expect(sha256File(sb.slotPath(s))).toBe(hashes.get(s));
    console.log(`switch-race figures: ${JSON.stringify({ x: { ...sx, errors: sx.errors.length }, y: { ...sy, errors: sy.errors.length }, logged })}`);
  }, 90_000);

  it("racing `usagetop switch` CLI runs stay whole too", async () => {
    let expected = 0;
    for (let round = 0; round < 6; round++) {
      const [p, q] = await Promise.all([runSandboxCli(["switch", SLOTS[round % 3]!], sb.env), runSandboxCli(["switch", SLOTS[(round + 1) % 3]!], sb.env)]);
      for (const r of [p, q]) {
        expect([0, 75], r.stderr).toContain(r.exitCode);
        if (r.stdout.startsWith("switched")) expected++;
      }
    }
    expect(checkChain(sb, "a")).toBe(expected);
  }, 90_000);
});
