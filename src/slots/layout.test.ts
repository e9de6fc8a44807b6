import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeSandbox, type Sandbox } from "../../test/slot-sandbox.js";
import { activeSlotName, discoverSlots, identityFileName, isSlotName, slotFilesIn, slotNameProblem } from "./layout.js";

describe("slot names", () => {
  it.each(["a", "bob", "alice-2", "x_y", "0", "a".repeat(32)])("%s is a slot name", (n) => expect(isSlotName(n)).toBe(true));
  it.each(["", "Bob", "-a", "_a", "a".repeat(33), "../x", "a/b", "a.b", "tmp-1-abc", "a b", "bob.identity.json"])("%j is not", (n) => {
    expect(isSlotName(n)).toBe(false);
    expect(slotNameProblem(n)).not.toBeNull();
  });

  it("accepted names never reach outside the dir (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (n) => {
        if (isSlotName(n)) {
          expect(n).not.toContain("/");
          expect(n).not.toContain("..");
          expect(n).not.toContain("\0");
          expect(n.length).toBeLessThanOrEqual(32);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("slotFilesIn and activeSlotName", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "usagetop-layout-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("lists slot files, ignoring sidecars, temp links and invalid names", () => {
    for (const f of [".credentials.json.bob", ".credentials.json.alice", identityFileName("bob"), ".credentials.json.Bad", "other"]) {
      writeFileSync(join(dir, f), "{}");
    }
    symlinkSync(".credentials.json.bob", join(dir, ".credentials.json.tmp-123-abcd"));
    expect(slotFilesIn(dir)).toEqual(["alice", "bob"]);
  });

  it("names the slot the live link points at, relative or absolute inside the dir", () => {
    symlinkSync(".credentials.json.bob", join(dir, ".credentials.json"));
    expect(activeSlotName(dir)).toBe("bob");
    rmSync(join(dir, ".credentials.json"));
    symlinkSync(join(dir, ".credentials.json.alice"), join(dir, ".credentials.json"));
    expect(activeSlotName(dir)).toBe("alice");
  });

  it("is null for a link leaving the dir, a foreign target, a regular file or nothing", () => {
    expect(activeSlotName(dir)).toBeNull();
    symlinkSync("../elsewhere/.credentials.json.bob", join(dir, ".credentials.json"));
    expect(activeSlotName(dir)).toBeNull();
    rmSync(join(dir, ".credentials.json"));
    symlinkSync("notes.txt", join(dir, ".credentials.json"));
    expect(activeSlotName(dir)).toBeNull();
    rmSync(join(dir, ".credentials.json"));
    writeFileSync(join(dir, ".credentials.json"), "{}");
    expect(activeSlotName(dir)).toBeNull();
  });
});

describe("discoverSlots", () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = makeSandbox();
  });
  afterEach(() => sb.cleanup());

  it("finds slot files and marks the active one", () => {
    sb.writeSlot("alice");
    sb.writeSlot("bob");
    sb.link(".credentials.json.bob");
    expect(discoverSlots(sb.config()).map((s) => [s.name, s.active])).toEqual([
      ["alice", false],
      ["bob", true],
    ]);
  });

  it("takes config names (including ones without a file), dropping invalid ones", () => {
    sb.writeSlot("alice");
    const slots = discoverSlots(sb.config('[slots]\nnames = ["alice", "carol"]\n'));
    expect(slots.map((s) => s.name)).toEqual(["alice", "carol"]);
  });

  it("treats a plain single login as the one slot `default`", () => {
    writeFileSync(join(sb.credsDir, ".credentials.json"), "{}");
    expect(discoverSlots(sb.config())).toEqual([{ name: "default", credentialsPath: join(sb.credsDir, ".credentials.json"), active: true }]);
  });
});
