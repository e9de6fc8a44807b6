import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { execFileSync } from "node:child_process";
import { corruptPathFor, ensureStateDir, moveAsideCorrupt, readJsonFile, removeDeadTemps, tempPathFor, writeFileAtomic } from "./atomic-file.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "usagetop-atomic-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const Schema = z.object({ n: z.number(), s: z.string() });

describe("ensureStateDir", () => {
  it("creates nested dirs with mode 0700", () => {
    const state = join(dir, "a", "b", "usagetop");
    ensureStateDir(state);
    expect(statSync(state).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, "a")).mode & 0o777).toBe(0o700);
    ensureStateDir(state); // idempotent
  });
});

describe("writeFileAtomic", () => {
  it("writes the content with mode 0600 and leaves no temp file", () => {
    const p = join(dir, "cache.json");
    writeFileAtomic(p, '{"n":1}');
    expect(readFileSync(p, "utf8")).toBe('{"n":1}');
    expect(statSync(p).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["cache.json"]);
  });

  it("replaces an existing file and honours an explicit mode", () => {
    const p = join(dir, "x");
    writeFileSync(p, "old", { mode: 0o644 });
    writeFileAtomic(p, Buffer.from("new"), 0o640);
    expect(readFileSync(p, "utf8")).toBe("new");
    expect(statSync(p).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(["x"]);
  });

  it("cleans its temp file and keeps the old content when the rename fails", () => {
    const p = join(dir, "target");
    mkdirSync(p); // renaming a file over a directory fails (EISDIR)
    writeFileSync(join(p, "keep"), "k");
    expect(() => writeFileAtomic(p, "data")).toThrow();
    expect(readdirSync(dir)).toEqual(["target"]);
    expect(readFileSync(join(p, "keep"), "utf8")).toBe("k");
  });

  it("fails when the dir does not exist, creating nothing", () => {
    expect(() => writeFileAtomic(join(dir, "nope", "f"), "x")).toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("round-trips any JSON value", () => {
    const p = join(dir, "rt.json");
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        writeFileAtomic(p, text);
        expect(readFileSync(p, "utf8")).toBe(text);
      }),
      { numRuns: 50 },
    );
    expect(readdirSync(dir)).toEqual(["rt.json"]);
  });
});

describe("readJsonFile", () => {
  it("reads a valid file", () => {
    const p = join(dir, "v.json");
    writeFileSync(p, JSON.stringify({ n: 2, s: "x" }));
    expect(readJsonFile(p, Schema)).toEqual({ ok: true, value: { n: 2, s: "x" } });
  });

  it("reports a missing file as missing, not corrupt", () => {
    expect(readJsonFile(join(dir, "none.json"), Schema)).toEqual({ ok: false, missing: true });
  });

  it("reports bytes that are not JSON as corrupt", () => {
    const p = join(dir, "bad.json");
    writeFileSync(p, '{"n":1,');
    const r = readJsonFile(p, Schema);
    expect(r.ok).toBe(false);
    expect("corrupt" in r && r.reason).toMatch(/not JSON/);
  });

  it("names the field when the schema rejects the value", () => {
    const p = join(dir, "shape.json");
    writeFileSync(p, JSON.stringify({ n: "two", s: "x" }));
    const r = readJsonFile(p, Schema);
    expect("corrupt" in r && r.reason).toMatch(/^field n:/);
  });

  it("reports a directory in the file's place as unreadable, not corrupt", () => {
    const p = join(dir, "d.json");
    mkdirSync(p);
    const r = readJsonFile(p, Schema);
    expect("unreadable" in r && r.reason).toMatch(/EISDIR/);
  });

  it("never throws on arbitrary bytes", () => {
    const p = join(dir, "fuzz.json");
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        writeFileSync(p, bytes);
        const r = readJsonFile(p, Schema);
        expect(r.ok || "corrupt" in r).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe("moveAsideCorrupt", () => {
  const now = new Date("2026-11-22T14:03:22.000Z");

  it("renames to *.corrupt-<time without colons> and returns one line naming both files", () => {
    const p = join(dir, "alice.json");
    writeFileSync(p, "garbage");
    const warning = moveAsideCorrupt(p, now, "not JSON");
    expect(readdirSync(dir)).toEqual(["alice.json.corrupt-2026-11-22T14-03-22.000Z"]);
    expect(corruptPathFor(p, now)).toBe(`${p}.corrupt-2026-11-22T14-03-22.000Z`);
    expect(warning).toContain(p);
    expect(warning).toContain("alice.json.corrupt-2026-11-22T14-03-22.000Z");
    expect(warning).toContain("not JSON");
    expect(warning).not.toContain("\n");
  });

  it("still returns a warning when another process moved the file first", () => {
    const warning = moveAsideCorrupt(join(dir, "gone.json"), now);
    expect(warning).toMatch(/already moved aside/);
  });
});

describe("removeDeadTemps", () => {
  it("removes temp files of dead writers only", () => {
    const dead = Number(execFileSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }));
    writeFileSync(join(dir, `.alice.json.tmp-${dead}-0a1b2c3d`), "half");
    writeFileSync(join(dir, `.alice.json.tmp-${process.ppid}-0a1b2c3d`), "in progress elsewhere");
    writeFileSync(join(dir, "alice.json"), "{}");
    writeFileSync(join(dir, ".alice.json.tmp-notapid"), "not ours to judge");
    expect(removeDeadTemps(dir)).toBe(1);
    expect(readdirSync(dir).sort()).toEqual([".alice.json.tmp-notapid", `.alice.json.tmp-${process.ppid}-0a1b2c3d`, "alice.json"].sort());
    expect(removeDeadTemps(join(dir, "missing"))).toBe(0);
  });

  it("recognises the names writeFileAtomic uses", () => {
    const name = tempPathFor(join(dir, "x.json")).slice(dir.length + 1);
    expect(name).toMatch(new RegExp(`^\\.x\\.json\\.tmp-${process.pid}-[0-9a-f]{8}$`));
  });
});
