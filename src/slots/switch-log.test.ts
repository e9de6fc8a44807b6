import { appendFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appendSwitch, lastSwitch, readSwitches, switchLogPath, type SwitchEntry } from "./switch-log.js";

const entry = (i: number): SwitchEntry => ({ at: new Date(1_800_000_000_000 + i * 1000).toISOString(), from: `s${i}`, to: `s${i + 1}`, reason: "test", forced: false, by: "cli" });

describe("switch log", () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = join(mkdtempSync(join(tmpdir(), "usagetop-log-")), "usagetop");
  });
  afterEach(() => rmSync(join(stateDir, ".."), { recursive: true, force: true }));

  it("appends one JSON line per switch, 0600, and reads them back in order", () => {
    for (let i = 0; i < 5; i++) appendSwitch(stateDir, entry(i));
    expect(statSync(switchLogPath(stateDir)).mode & 0o777).toBe(0o600);
    expect(readSwitches(stateDir).entries).toEqual([0, 1, 2, 3, 4].map(entry));
    expect(lastSwitch(stateDir)).toEqual(entry(4));
    expect(readSwitches(stateDir, 2).entries).toEqual([entry(3), entry(4)]);
  });

  it("keeps holdUntil from the decision engine", () => {
    const e = { ...entry(0), by: "decide" as const, holdUntil: "2027-01-01T00:00:00.000Z" };
    appendSwitch(stateDir, e);
    expect(lastSwitch(stateDir)).toEqual(e);
  });

  it("skips torn and foreign lines and counts them", () => {
    appendSwitch(stateDir, entry(0));
    appendFileSync(switchLogPath(stateDir), '{"at": "x", "from"\nnot json\n{"at":"2026-01-01T00:00:00Z","to":"a"}\n');
    appendSwitch(stateDir, entry(1));
    expect(readSwitches(stateDir)).toEqual({ entries: [entry(0), entry(1)], skipped: 3 });
  });

  it("reads only the tail of a long log, dropping the cut first line", () => {
    for (let i = 0; i < 3000; i++) appendSwitch(stateDir, entry(i));
    const { entries, skipped } = readSwitches(stateDir, 10);
    expect(skipped).toBe(0);
    expect(entries.at(-1)).toEqual(entry(2999));
    expect(entries).toHaveLength(10);
  });

  it("a missing log has no entries", () => {
    expect(readSwitches(stateDir)).toEqual({ entries: [], skipped: 0 });
    expect(lastSwitch(stateDir)).toBeNull();
  });

  it("refuses an entry that is not one (programmer error)", () => {
    expect(() => appendSwitch(stateDir, { ...entry(0), by: "robot" as never })).toThrow();
  });
});
