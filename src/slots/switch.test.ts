import { existsSync, mkdirSync, readdirSync, readlinkSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixtureText, makeSandbox, type Sandbox } from "../../test/slot-sandbox.js";
import { Secret } from "./secret.js";
import { refreshTokenSha256 } from "./credentials.js";
import { recordProbes } from "./probe-store.js";
import { switchSlot, type SwitchOptions } from "./switch.js";
import { readSwitches } from "./switch-log.js";

const H = 3600_000;

describe("switchSlot (SPEC 5.3)", () => {
  let sb: Sandbox;
  const live = () => readlinkSync(join(sb.credsDir, ".credentials.json"));
  const run = (target: string, over: Partial<SwitchOptions> = {}, toml?: string) =>
    switchSlot({ config: sb.config(toml), target, isAlive: () => false, lockWaitMs: 200, ...over });
  beforeEach(() => {
    sb = makeSandbox();
    sb.writeSlot("alice");
    sb.writeSlot("bob");
    sb.link(".credentials.json.alice");
  });
  afterEach(() => sb.cleanup());

  it("flips the link, logs one entry and touches no credential file", async () => {
    const before = sb.snapshot(sb.credsDir).split("\n").filter((l) => l.startsWith("F")).join("\n");
    const o = await run("bob");
    expect(o).toMatchObject({ status: "switched", exitCode: 0, from: "alice", to: "bob" });
    expect(live()).toBe(".credentials.json.bob");
    const after = sb.snapshot(sb.credsDir).split("\n").filter((l) => l.startsWith("F")).join("\n");
    expect(after).toBe(before);
    expect(readSwitches(sb.stateDir).entries).toEqual([{ at: o.entry!.at, from: "alice", to: "bob", reason: "manual switch", forced: false, by: "cli" }]);
    // The refresh locks were taken and given back.
    expect(existsSync(join(sb.credsDir, ".oauth_refresh.lock"))).toBe(false);
    expect(existsSync(join(sb.home, ".claude.lock"))).toBe(false);
    expect(existsSync(join(sb.stateDir, "switch.lock"))).toBe(false);
  });

  it("already on the target: nothing changes, nothing is logged", async () => {
    expect(await run("alice")).toMatchObject({ status: "unchanged", exitCode: 0 });
    expect(readSwitches(sb.stateDir).entries).toEqual([]);
  });

  describe("refusals, which --force never overrides", () => {
    const cases: Array<[string, (sb: Sandbox) => void, string]> = [
      ["an invalid name", () => undefined, "not a slot name"],
      ["an unknown slot", () => undefined, "unknown slot"],
      ["a missing login (only mcpOAuth)", (sb) => sb.writeSlot("carol", { raw: fixtureText("mcp-only.json") }), "missing"],
      ["truncated JSON", (sb) => sb.writeSlot("carol", { raw: fixtureText("truncated.json") }), "malformed: truncated JSON"],
      ["a missing claudeAiOauth", (sb) => sb.writeSlot("carol", { raw: "{}" }), "no claudeAiOauth"],
      ["a wrong field type", (sb) => sb.writeSlot("carol", { raw: fixtureText("expires-string.json") }), "claudeAiOauth.expiresAt must be a number"],
      [
        "a symlink loop",
        (sb) => {
          symlinkSync(".credentials.json.carol2", join(sb.credsDir, ".credentials.json.carol"));
          symlinkSync(".credentials.json.carol", join(sb.credsDir, ".credentials.json.carol2"));
        },
        "symlink loop",
      ],
      ["a directory", (sb) => mkdirSync(sb.slotPath("carol")), "unreadable"],
    ];
    it.each(cases)("%s", async (label, setup, words) => {
      setup(sb);
      const target = label === "an invalid name" ? "../carol" : label === "an unknown slot" ? "nobody" : "carol";
      const before = sb.snapshot();
      for (const force of [false, true]) {
        const o = await run(target, { force });
        expect(o.status).toBe("refused");
        expect(o.exitCode).toBe(1);
        expect(o.headline).toContain(words);
        expect(o.headline.split("\n")).toHaveLength(1);
        expect(o.headline).not.toMatch(/FIXTURE/);
      }
      expect(sb.snapshot()).toBe(before);
    });

    it("drift", async () => {
      writeFileSync(
        join(sb.credsDir, ".credentials.json.bob.identity.json"),
        JSON.stringify({ schemaVersion: 1, slot: "bob", accountUuid: "22222222-2222-4222-8222-222222222222", email: "bob@example.invalid", organizationUuid: null, subscriptionType: "max", rateLimitTier: null, refreshTokenSha256: null, baselinedAt: "2026-01-01T00:00:00Z" }),
      );
      await recordProbes(
        sb.stateDir,
        { bob: { at: new Date().toISOString(), ok: true, reason: null, conclusive: true, accountUuid: "33333333-3333-4333-8333-333333333333", email: "mallory@example.invalid", refreshTokenSha256: refreshTokenSha256(new Secret("sk-ant-ort01-FIXTURE-REFRESH-bob")) } },
        new Date(),
      );
      const o = await run("bob", { force: true });
      expect(o).toMatchObject({ status: "refused", exitCode: 1 });
      expect(o.headline).toContain("drift");
      expect(live()).toBe(".credentials.json.alice");
    });

    it("a recorded failed probe", async () => {
      await recordProbes(
        sb.stateDir,
        { bob: { at: new Date(Date.now() - 2 * H).toISOString(), ok: false, reason: "HTTP 401 from api: authentication_error", conclusive: true, accountUuid: null, email: null, refreshTokenSha256: refreshTokenSha256(new Secret("sk-ant-ort01-FIXTURE-REFRESH-bob")) } },
        new Date(),
      );
      const o = await run("bob", { force: true });
      expect(o).toMatchObject({ status: "refused", exitCode: 1 });
      expect(o.headline).toContain("last probe failed 2h00m ago");
      expect(o.headline).toContain("slots reauth bob");
    });

    it("a live file that is a regular file (switching would lose it)", async () => {
      const p = join(sb.credsDir, ".credentials.json");
      const text = fixtureText("alice.json");
      writeFileSync(p + ".new", text);
      const { renameSync } = await import("node:fs");
      renameSync(p + ".new", p);
      const o = await run("bob", { force: true });
      expect(o.status).toBe("refused");
      expect(o.headline).toContain("slots adopt");
    });
  });

  it("a lapsed access token is fine, with a note that Claude Code refreshes it", async () => {
    sb.writeSlot("bob", { expiresInMs: -H });
    const o = await run("bob");
    expect(o.status).toBe("switched");
    expect(o.notes.join("\n")).toMatch(/lapsed 1h00m ago.*Claude Code refreshes it/);
  });

  it("an old slot is switched to with a warning suggesting a probe", async () => {
    sb.writeSlot("bob", { ageMs: 9 * 24 * H });
    const o = await run("bob");
    expect(o.status).toBe("switched");
    expect(o.warnings.join("\n")).toContain("slots check --probe");
  });

  describe("agent-lock guard", () => {
    const toml = (sb: Sandbox) => `[slots]\nlock_glob = "${join(sb.root, "locks", "*.lock")}"\n`;
    beforeEach(() => {
      mkdirSync(join(sb.root, "locks"));
      writeFileSync(join(sb.root, "locks", "agent.lock"), "4242 2026-11-22T10:00:00Z\n");
      writeFileSync(join(sb.root, "locks", "junk.lock"), "nothing\n");
    });

    it("a live PID defers (exit 75) naming the lock; nothing changes", async () => {
      const before = sb.snapshot(sb.credsDir);
      const o = await run("bob", { isAlive: (p) => p === 4242 }, toml(sb));
      expect(o).toMatchObject({ status: "deferred", exitCode: 75 });
      expect(o.headline).toContain(join(sb.root, "locks", "agent.lock"));
      expect(o.headline).toContain("pid 4242");
      expect(sb.snapshot(sb.credsDir)).toBe(before);
    });

    it("a dead PID and an unreadable lock are ignored and reported", async () => {
      const o = await run("bob", { isAlive: () => false }, toml(sb));
      expect(o.status).toBe("switched");
      expect(o.notes.join("\n")).toContain("pid 4242 is not running");
      expect(o.notes.join("\n")).toContain("junk.lock: no PID");
    });

    it("--force overrides only this guard, and the log says forced", async () => {
      const o = await run("bob", { isAlive: (p) => p === 4242, force: true }, toml(sb));
      expect(o.status).toBe("switched");
      expect(o.warnings.join("\n")).toContain("forced past running agent lock");
      expect(readSwitches(sb.stateDir).entries[0]?.forced).toBe(true);
    });
  });

  describe("Claude Code's refresh locks", () => {
    it("a fresh .oauth_refresh.lock defers (exit 75) and is left alone", async () => {
      const lock = join(sb.credsDir, ".oauth_refresh.lock");
      mkdirSync(lock);
      const o = await run("bob");
      expect(o).toMatchObject({ status: "deferred", exitCode: 75 });
      expect(o.headline).toContain(lock);
      expect(existsSync(lock)).toBe(true);
      expect(live()).toBe(".credentials.json.alice");
      expect(existsSync(join(sb.home, ".claude.lock"))).toBe(false);
    });

    it("a fresh ~/.claude.lock defers too, releasing the one already taken", async () => {
      mkdirSync(join(sb.home, ".claude.lock"));
      const o = await run("bob");
      expect(o.status).toBe("deferred");
      expect(existsSync(join(sb.credsDir, ".oauth_refresh.lock"))).toBe(false);
    });

    it("a lock over 60 s old is stale: taken, removed after, and reported", async () => {
      const lock = join(sb.credsDir, ".oauth_refresh.lock");
      mkdirSync(lock);
      const t = new Date(Date.now() - 61_000);
      utimesSync(lock, t, t);
      const o = await run("bob");
      expect(o.status).toBe("switched");
      expect(o.notes.join("\n")).toContain("removed stale refresh lock");
      expect(existsSync(lock)).toBe(false);
    });
  });

  it("our own switch lock: a live holder defers after the wait; a dead holder's lock is taken", async () => {
    mkdirSync(sb.stateDir, { recursive: true });
    writeFileSync(join(sb.stateDir, "switch.lock"), `${process.pid} ${new Date().toISOString()}`);
    const o = await run("bob", { lockWaitMs: 100 });
    expect(o).toMatchObject({ status: "deferred", exitCode: 75 });
    expect(o.headline).toContain(`pid ${process.pid}`);
    writeFileSync(join(sb.stateDir, "switch.lock"), `999999 ${new Date().toISOString()}`);
    expect((await run("bob")).status).toBe("switched");
  });

  it("cleans temp links left by an interrupted switch", async () => {
    symlinkSync(".credentials.json.bob", join(sb.credsDir, ".credentials.json.tmp-12345-dead"));
    const o = await run("bob");
    expect(o.notes.join("\n")).toContain(".credentials.json.tmp-12345-dead");
    expect(readdirSync(sb.credsDir).filter((n) => n.includes("tmp-"))).toEqual([]);
  });

  it("repairs a dangling live link", async () => {
    sb.link(".credentials.json.gone");
    const o = await run("bob");
    expect(o).toMatchObject({ status: "switched", from: null });
    expect(live()).toBe(".credentials.json.bob");
  });

  it("--dry-run says what would happen and changes nothing", async () => {
    const before = sb.snapshot();
    const o = await run("bob", { dryRun: true });
    expect(o).toMatchObject({ status: "dry-run", exitCode: 0 });
    expect(o.headline).toBe("would switch from alice to bob; nothing changed");
    expect(sb.snapshot()).toBe(before);
    mkdirSync(join(sb.credsDir, ".oauth_refresh.lock"));
    const withLock = sb.snapshot();
    expect((await run("bob", { dryRun: true })).exitCode).toBe(75);
    expect(sb.snapshot()).toBe(withLock);
  });

  it("by, reason and holdUntil are recorded for the decision engine", async () => {
    const hold = new Date(Date.now() + 8 * H);
    await run("bob", { by: "decide", reason: "forward_route: test", holdUntil: hold });
    expect(readSwitches(sb.stateDir).entries[0]).toMatchObject({ by: "decide", reason: "forward_route: test", holdUntil: hold.toISOString() });
  });
});
