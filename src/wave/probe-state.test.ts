import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadProbe, probeStatePath, saveProbe } from "./probe-state.js";

const NOW = new Date("2026-11-22T14:00:00.000Z");
const dirs: string[] = [];
function stateDir(): string {
  const d = mkdtempSync(join(tmpdir(), "usagetop-wave-probe-"));
  dirs.push(d);
  return join(d, "state");
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("probe schedule in the state dir", () => {
  it("starts empty, round-trips per slot, and writes 0600 in a 0700 dir", () => {
    const dir = stateDir();
    expect(loadProbe(dir, "alice", NOW)).toEqual({ probe: { streak: 0, nextProbeAt: null }, warning: null });
    const next = new Date(NOW.getTime() + 600_000);
    expect(saveProbe(dir, "alice", { streak: 2, nextProbeAt: next }, NOW)).toBeNull();
    expect(saveProbe(dir, null, { streak: 1, nextProbeAt: NOW }, NOW)).toBeNull();
    expect(loadProbe(dir, "alice", NOW).probe).toEqual({ streak: 2, nextProbeAt: next });
    expect(loadProbe(dir, null, NOW).probe).toEqual({ streak: 1, nextProbeAt: NOW });
    expect(loadProbe(dir, "bob", NOW).probe).toEqual({ streak: 0, nextProbeAt: null });
    expect(statSync(probeStatePath(dir)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it("does not write when nothing changed, and forgets a cleared slot", () => {
    const dir = stateDir();
    saveProbe(dir, "alice", { streak: 0, nextProbeAt: null }, NOW);
    expect(existsSync(probeStatePath(dir))).toBe(false);
    saveProbe(dir, "alice", { streak: 1, nextProbeAt: NOW }, NOW);
    saveProbe(dir, "alice", { streak: 0, nextProbeAt: null }, NOW);
    expect(JSON.parse(readFileSync(probeStatePath(dir), "utf8")).slots).toEqual({});
  });

  it("moves a corrupt file aside with one warning and starts over", () => {
    const dir = stateDir();
    saveProbe(dir, "alice", { streak: 1, nextProbeAt: NOW }, NOW);
    writeFileSync(probeStatePath(dir), '{"schemaVersion":1,"slots":{"alice":{"streak":-1');
    const r = loadProbe(dir, "alice", NOW);
    expect(r.probe).toEqual({ streak: 0, nextProbeAt: null });
    expect(r.warning).toMatch(/was corrupt .*moved aside/);
    expect(readdirSync(dir).some((f) => f.startsWith("wave-probes.json.corrupt-"))).toBe(true);
  });
});
