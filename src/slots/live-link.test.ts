import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { flipLiveLink, inspectLiveLink, liveLinkProblem, removeTempLinks } from "./live-link.js";

describe("live link", () => {
  let dir: string;
  const live = () => join(dir, ".credentials.json");
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "usagetop-live-"));
    writeFileSync(join(dir, ".credentials.json.bob"), "{}");
    writeFileSync(join(dir, ".credentials.json.alice"), "{}");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("classifies every shape of the live path", () => {
    expect(inspectLiveLink(dir).state).toBe("none");
    symlinkSync(".credentials.json.bob", live());
    expect(inspectLiveLink(dir)).toMatchObject({ state: "link", slot: "bob" });
    const cases: Array<[string, string]> = [
      [".credentials.json.gone", "dangling"],
      ["../other/.credentials.json.bob", "outside"],
      ["/etc/passwd", "outside"],
      ["notes.txt", "foreign"],
    ];
    for (const [target, state] of cases) {
      rmSync(live());
      symlinkSync(target, live());
      expect(inspectLiveLink(dir).state).toBe(state);
      expect(liveLinkProblem(inspectLiveLink(dir), true)).toContain(".credentials.json");
    }
    rmSync(live());
    rmSync(join(dir, ".credentials.json.alice"));
    symlinkSync(".credentials.json", join(dir, ".credentials.json.alice"));
    symlinkSync(".credentials.json.alice", live());
    expect(inspectLiveLink(dir).state).toBe("loop");
    rmSync(live());
    writeFileSync(live(), "{}");
    expect(inspectLiveLink(dir).state).toBe("regular");
    expect(liveLinkProblem(inspectLiveLink(dir), true)).toContain("slots adopt");
    expect(liveLinkProblem(inspectLiveLink(dir), false)).toBeNull();
    rmSync(live());
    mkdirSync(live());
    expect(inspectLiveLink(dir)).toMatchObject({ state: "other", what: "a directory" });
  });

  it("flips atomically to a relative link and leaves no temp link", () => {
    symlinkSync(".credentials.json.bob", live());
    flipLiveLink(dir, "alice");
    expect(readlinkSync(live())).toBe(".credentials.json.alice");
    expect(lstatSync(live()).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir).filter((n) => n.includes("tmp-"))).toEqual([]);
  });

  it("creates the link when there was none", () => {
    flipLiveLink(dir, "bob");
    expect(inspectLiveLink(dir)).toMatchObject({ state: "link", slot: "bob" });
  });

  it("removes only temp symlinks left by a crash, never other files", () => {
    symlinkSync(".credentials.json.bob", join(dir, ".credentials.json.tmp-1-aaaa"));
    symlinkSync(".credentials.json.alice", join(dir, ".credentials.json.tmp-2-bbbb"));
    writeFileSync(join(dir, ".credentials.json.tmp-3-file"), "not ours");
    expect(removeTempLinks(dir).sort()).toEqual([".credentials.json.tmp-1-aaaa", ".credentials.json.tmp-2-bbbb"]);
    expect(readdirSync(dir).sort()).toEqual([".credentials.json.alice", ".credentials.json.bob", ".credentials.json.tmp-3-file"]);
  });
});
