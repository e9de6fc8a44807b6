import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { credentialsText, makeSandbox, type Sandbox } from "../../test/slot-sandbox.js";
import { adoptLiveFile } from "./adopt.js";
import { readSwitches } from "./switch-log.js";

describe("adoptLiveFile", () => {
  let sb: Sandbox;
  let live: string;
  const text = credentialsText("dave", Date.now() + 3600_000);
  beforeEach(() => {
    sb = makeSandbox();
    sb.writeSlot("alice");
    live = join(sb.credsDir, ".credentials.json");
    writeFileSync(live, text, { mode: 0o600 });
  });
  afterEach(() => sb.cleanup());

  it("moves the regular live file into a new slot and restores the link, same bytes", async () => {
    const o = await adoptLiveFile(sb.config(), "dave");
    expect(o).toMatchObject({ ok: true, exitCode: 0 });
    expect(lstatSync(live).isSymbolicLink()).toBe(true);
    expect(readlinkSync(live)).toBe(".credentials.json.dave");
    expect(readFileSync(sb.slotPath("dave"), "utf8")).toBe(text);
    expect(lstatSync(sb.slotPath("dave")).mode & 0o777).toBe(0o600);
    expect(readSwitches(sb.stateDir).entries[0]).toMatchObject({ from: null, to: "dave", reason: "adopt: live file was a regular file" });
  });

  it("refuses an existing slot name and changes nothing", async () => {
    const before = sb.snapshot();
    const o = await adoptLiveFile(sb.config(), "alice");
    expect(o).toMatchObject({ ok: false, exitCode: 1 });
    expect(o.headline).toContain("already exists");
    expect(sb.snapshot()).toBe(before);
  });

  it("refuses when the live file is already a link, and bad names", async () => {
    sb.link(".credentials.json.alice");
    expect((await adoptLiveFile(sb.config(), "dave")).headline).toContain("already a symlink");
    expect((await adoptLiveFile(sb.config(), "../dave")).ok).toBe(false);
    expect(existsSync(sb.slotPath("dave"))).toBe(false);
  });

  it("waits out Claude Code's fresh refresh lock (exit 75) without touching anything", async () => {
    mkdirSync(join(sb.credsDir, ".oauth_refresh.lock"));
    const before = sb.snapshot(sb.credsDir);
    const o = await adoptLiveFile(sb.config(), "dave");
    expect(o.exitCode).toBe(75);
    expect(sb.snapshot(sb.credsDir)).toBe(before);
  });
});
