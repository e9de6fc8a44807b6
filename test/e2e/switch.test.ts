// `usagetop switch` end to end (SPEC 5.3): the built binary against a sandboxed credentials dir,
// HOME and XDG dirs; probes against a local Anthropic stand-in.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeAnthropic, type FakeAnthropic } from "../fake-anthropic.js";
import { fixtureText, makeSandbox, permissionsAreBypassed, runSandboxCli, UNPRIVILEGED_UID, type CliRun, type Sandbox } from "../slot-sandbox.js";

const outputs: string[] = [];
function remember(r: CliRun): CliRun {
  outputs.push(r.stdout, r.stderr);
  return r;
}

describe("usagetop switch", () => {
  let sb: Sandbox;
  let fake: FakeAnthropic;
  const live = () => readlinkSync(join(sb.credsDir, ".credentials.json"));
  const cli = async (args: string[], extraEnv: Record<string, string> = {}) => remember(await runSandboxCli(args, { ...sb.env, USAGETOP_ANTHROPIC_BASE_URL: fake.url, USAGETOP_HTTP_TIMEOUT_MS: "3000", ...extraEnv }));
  beforeAll(async () => {
    fake = await startFakeAnthropic();
  });
  afterAll(async () => {
    await fake.close();
    // No access or refresh token in anything any run printed.
    const all = outputs.join("\n");
    expect(all).not.toMatch(/FIXTURE-(ACCESS|REFRESH)/);
  });
  beforeEach(() => {
    fake.setMode("ok");
    sb = makeSandbox();
    sb.writeSlot("alice");
    sb.writeSlot("bob");
    sb.link(".credentials.json.alice");
  });
  afterEach(() => {
    // Nothing usagetop wrote in the state dir holds a token either.
    const dir = sb.stateDir;
    try {
      for (const f of readdirSync(dir)) {
        try {
          expect(readFileSync(join(dir, f), "utf8")).not.toMatch(/FIXTURE-(ACCESS|REFRESH)/);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "EISDIR") throw e;
        }
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    sb.cleanup();
  });

  it("switches, prints what it did, and logs one line", async () => {
    const r = await cli(["switch", "bob"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("switched from alice to bob");
    expect(live()).toBe(".credentials.json.bob");
    const log = readFileSync(join(sb.stateDir, "switches.jsonl"), "utf8").trim().split("\n");
    expect(log).toHaveLength(1);
    expect(JSON.parse(log[0]!)).toMatchObject({ from: "alice", to: "bob", forced: false, by: "cli", reason: "manual switch" });
  });

  describe("bad targets: one clear line, exit 1, nothing modified", () => {
    const cases: Array<[string, string, (sb: Sandbox) => void, RegExp]> = [
      ["truncated JSON", "carol", (sb) => sb.writeSlot("carol", { raw: fixtureText("truncated.json") }), /malformed: truncated JSON/],
      ["missing claudeAiOauth", "carol", (sb) => sb.writeSlot("carol", { raw: '{"other": 1}' }), /missing: no claudeAiOauth/],
      ["only mcpOAuth", "carol", (sb) => sb.writeSlot("carol", { raw: fixtureText("mcp-only.json") }), /missing: only mcpOAuth/],
      ["a field of the wrong type", "carol", (sb) => sb.writeSlot("carol", { raw: fixtureText("expires-string.json") }), /claudeAiOauth\.expiresAt must be a number/],
      [
        "a symlink loop",
        "carol",
        (sb) => {
          symlinkSync(".credentials.json.dave", join(sb.credsDir, ".credentials.json.carol"));
          symlinkSync(".credentials.json.carol", join(sb.credsDir, ".credentials.json.dave"));
        },
        /unreadable: symlink loop/,
      ],
      ["a name with ../", "../carol", () => undefined, /not a slot name/],
      ["an absolute path", "/etc/passwd", () => undefined, /not a slot name/],
      ["an unknown slot", "zed", () => undefined, /unknown slot \(known: alice, bob\)/],
      ["a directory in place of the file (unreadable even for root)", "carol", (sb) => mkdirSync(sb.slotPath("carol")), /unreadable/],
    ];
    it.each(cases)("%s", async (_, target, setup, message) => {
      setup(sb);
      const before = sb.snapshot();
      // A refusal writes nothing, so both runs can go at once.
      const runs = await Promise.all([cli(["switch", target]), cli(["switch", target, "--force"])]);
      for (const r of runs) {
        expect(r.exitCode).toBe(1);
        expect(r.stdout).toBe("");
        const lines = r.stderr.trim().split("\n");
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/^usagetop: refusing to switch to /);
        expect(lines[0]).toMatch(message);
      }
      expect(sb.snapshot()).toBe(before);
    });

    it("a mode-000 slot file (as an unprivileged user when the suite runs as root)", async () => {
      const asRoot = permissionsAreBypassed();
      // Root reads mode-000 files, so the CLI runs as "nobody", owning the sandbox like a user would.
      if (asRoot) execFileSync("chown", ["-R", `${UNPRIVILEGED_UID}:${UNPRIVILEGED_UID}`, sb.root]);
      const file = sb.writeSlot("carol");
      if (asRoot) chownSync(file, UNPRIVILEGED_UID, UNPRIVILEGED_UID);
      chmodSync(file, 0);
      const before = sb.snapshot();
      const r = remember(await runSandboxCli(["switch", "carol"], { ...sb.env, USAGETOP_ANTHROPIC_BASE_URL: fake.url }, asRoot ? UNPRIVILEGED_UID : undefined));
      expect(r.exitCode).toBe(1);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/refusing to switch to "carol".*unreadable: permission denied/);
      expect(sb.snapshot()).toBe(before);
    });
  });

  it("a token lapsed an hour ago switches (exit 0) and says Claude Code refreshes it", async () => {
    sb.writeSlot("bob", { expiresInMs: -3600_000 });
    const r = await cli(["switch", "bob"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/lapsed 1h00m ago.*Claude Code refreshes it on first use/);
    expect(live()).toBe(".credentials.json.bob");
  });

  it("an old slot switches with a warning to probe first", async () => {
    sb.writeSlot("bob", { ageMs: 9 * 24 * 3600_000 });
    const r = await cli(["switch", "bob"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/warning: .*slots check --probe/);
  });

  it("a failed probe is recorded and then refuses the switch, even with --force", async () => {
    fake.setMode("invalid_token", { token: "sk-ant-oat01-FIXTURE-ACCESS-bob" });
    const check = await cli(["slots", "check", "--probe"]);
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toMatch(/bob .*probe=FAIL\(HTTP 401/);
    const before = sb.snapshot(sb.credsDir);
    const r = await cli(["switch", "bob", "--force"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/last probe failed .* its refresh token is dead/);
    expect(sb.snapshot(sb.credsDir)).toBe(before);
  });

  describe("agent locks", () => {
    const glob = () => `[slots]\nlock_glob = "${join(sb.root, "agents", "*", "*.pid")}"\n`;
    beforeEach(() => mkdirSync(join(sb.root, "agents", "one"), { recursive: true }));

    it("a live PID defers with exit 75 and names the lock; --force overrides it", async () => {
      sb.config(glob());
      const lock = join(sb.root, "agents", "one", "session.pid");
      writeFileSync(lock, `${process.pid}\n`);
      const before = sb.snapshot(sb.credsDir);
      const r = await cli(["switch", "bob"]);
      expect(r.exitCode).toBe(75);
      expect(r.stderr).toContain(lock);
      expect(r.stderr).toContain(`pid ${process.pid}`);
      expect(sb.snapshot(sb.credsDir)).toBe(before);
      const forced = await cli(["switch", "bob", "--force"]);
      expect(forced.exitCode).toBe(0);
      expect(forced.stdout).toContain("forced past running agent lock");
      expect(JSON.parse(readFileSync(join(sb.stateDir, "switches.jsonl"), "utf8"))).toMatchObject({ forced: true });
    });

    it("a dead PID does not defer, and is reported", async () => {
      sb.config(glob());
      const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
      writeFileSync(join(sb.root, "agents", "one", "session.pid"), `${dead} started 2026-11-22`);
      const r = await cli(["switch", "bob"]);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain(`pid ${dead} is not running`);
    });
  });

  describe("Claude Code's refresh lock", () => {
    it("a fresh .oauth_refresh.lock defers (exit 75, named)", async () => {
      const lock = join(sb.credsDir, ".oauth_refresh.lock");
      mkdirSync(lock);
      const r = await cli(["switch", "bob"]);
      expect(r.exitCode).toBe(75);
      expect(r.stderr).toContain(lock);
      expect(live()).toBe(".credentials.json.alice");
    });

    it("one with mtime over 60 s does not", async () => {
      const lock = join(sb.credsDir, ".oauth_refresh.lock");
      mkdirSync(lock);
      const old = new Date(Date.now() - 90_000);
      utimesSync(lock, old, old);
      const r = await cli(["switch", "bob"]);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain("removed stale refresh lock");
    });
  });

  it("--dry-run prints what would happen and changes nothing", async () => {
    const before = sb.snapshot();
    const r = await cli(["switch", "bob", "--dry-run"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("would switch from alice to bob; nothing changed");
    expect(sb.snapshot()).toBe(before);
  });

  it("--json gives the outcome as one document", async () => {
    const r = await cli(["switch", "bob", "--json"]);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "switched", exitCode: 0, from: "alice", to: "bob" });
  });

  it("needs exactly one slot name", async () => {
    const r = await cli(["switch"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("usage: usagetop switch SLOT");
  });
});
