// `usagetop config ...` through the real binary (run `npm run build` first), with HOME and the
// XDG dirs in a temp dir so the user's own files are never touched.
import { execa } from "execa";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin", "usagetop.js");

let home: string;
let configFile: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "usagetop-e2e-config-"));
  configFile = join(home, "xdg-config", "usagetop", "config.toml");
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

/** Runs the binary with a clean environment: only what a test names leaks in. */
function usagetop(args: string[], env: Record<string, string> = {}) {
  return execa("node", [BIN, ...args], {
    reject: false,
    extendEnv: false,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      XDG_CONFIG_HOME: join(home, "xdg-config"),
      XDG_STATE_HOME: join(home, "xdg-state"),
      NO_COLOR: "1",
      ...env,
    },
  });
}

function writeConfig(text: string) {
  mkdirSync(join(home, "xdg-config", "usagetop"), { recursive: true });
  writeFileSync(configFile, text);
}

describe("usagetop config", () => {
  it("prints the path whether or not the file exists, also with no subcommand", async () => {
    const a = await usagetop(["config", "path"]);
    expect([a.exitCode, a.stdout]).toEqual([0, configFile]);
    const b = await usagetop(["config"]);
    expect([b.exitCode, b.stdout]).toEqual([0, configFile]);
    writeConfig("this is = = not toml");
    const c = await usagetop(["config", "path"]);
    expect([c.exitCode, c.stdout]).toEqual([0, configFile]);
    const d = await usagetop(["config", "path"], { USAGETOP_CONFIG: "~/elsewhere.toml" });
    expect(d.stdout).toBe(join(home, "elsewhere.toml"));
  });

  it("checks a missing file as defaults and an empty file as ok", async () => {
    const missing = await usagetop(["config", "check"]);
    expect([missing.exitCode, missing.stdout, missing.stderr]).toEqual([0, `ok: ${configFile} (no file: defaults)`, ""]);
    writeConfig("");
    const empty = await usagetop(["config", "check"]);
    expect([empty.exitCode, empty.stdout, empty.stderr]).toEqual([0, `ok: ${configFile}`, ""]);
  });

  it("exits 1 on a typo with file:line and the key on stderr, in one line", async () => {
    copyFileSync(join(ROOT, "fixtures", "config", "typo.toml"), (writeConfig(""), configFile));
    const r = await usagetop(["config", "check"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`${configFile}:4: unknown key "intervall" in [general] (did you mean "interval"?)`);
  });

  it("exits 1 naming line and key for a wrong type and for a TOML syntax error", async () => {
    writeConfig('[general]\nplan = "max"\ninterval = "x"\n');
    const typed = await usagetop(["config", "check"]);
    expect([typed.exitCode, typed.stderr]).toEqual([1, `${configFile}:3: [general] interval: expected a positive number, got "x"`]);
    writeConfig("[general]\nplan = \n");
    const syntax = await usagetop(["config", "check"]);
    expect(syntax.exitCode).toBe(1);
    expect(syntax.stderr).toMatch(/config\.toml:2: invalid TOML at column \d+: /);
  });

  it("fails any command that loads a bad config, with the same line", async () => {
    writeConfig('[slots]\nweekly_exhausted = "lots"\n');
    const r = await usagetop(["config", "check", "--plan", "pro"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("config.toml:2: [slots] weekly_exhausted: expected a number from 0 to 200");
  });

  it("init writes a commented example (0600) that checks ok, and refuses to overwrite it", async () => {
    const init = await usagetop(["config", "init"]);
    expect(init.exitCode).toBe(0);
    expect(init.stdout).toContain(`wrote ${configFile}`);
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
    const text = readFileSync(configFile, "utf8");
    for (const section of ["[general]", "[readers.oauth]", "[readers.usage_screen]", "[slots]", "[plans.", "[prices.", "[[cost_tiers]]", "[wave]", "[alerts]", "[limits]"]) {
      expect(text).toContain(`# ${section}`);
    }
    const check = await usagetop(["config", "check"]);
    expect([check.exitCode, check.stdout]).toEqual([0, `ok: ${configFile}`]);

    const again = await usagetop(["config", "init"]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain("already exists");
    expect(again.stderr).toContain("--force");

    writeFileSync(configFile, "# mine\n");
    const forced = await usagetop(["config", "init", "--force"]);
    expect(forced.exitCode).toBe(0);
    expect(readFileSync(configFile, "utf8")).toBe(text);
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
  });

  it("init's example checks ok with every setting uncommented", async () => {
    await usagetop(["config", "init"]);
    const live = readFileSync(configFile, "utf8").replace(/^# (?=\[|[A-Za-z0-9_"-]+ = )/gm, "");
    writeFileSync(join(home, "live.toml"), live);
    const r = await usagetop(["config", "check", "--config", join(home, "live.toml")]);
    expect([r.exitCode, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toBe(`ok: ${join(home, "live.toml")}`);
  });

  it("says what it imported from gptme's harness-quota.toml", async () => {
    mkdirSync(join(home, "xdg-config", "gptme"), { recursive: true });
    const quota = join(home, "xdg-config", "gptme", "harness-quota.toml");
    copyFileSync(join(ROOT, "fixtures", "config", "harness-quota.toml"), quota);
    const r = await usagetop(["config", "check"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split("\n")).toEqual([
      `ok: ${configFile} (no file: defaults)`,
      `imported plan max_5x from claude_plan_tier = "max-5x" in ${quota}`,
      `imported prices for 3 models (claude-code: opus, sonnet; gptme: deepseek-v4-pro) from ${quota}`,
      `imported tokens per second for 2 models (claude-code: opus, sonnet) from ${quota}`,
    ]);
  });

  it("rejects an unknown subcommand with a hint", async () => {
    const r = await usagetop(["config", "frobnicate"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('unknown config subcommand "frobnicate"');
    expect(r.stderr).toContain("hint: usagetop config [path | check | init [--force]]");
  });

  it("under --demo reads and writes no user config unless --config is given", async () => {
    writeConfig("not = = toml");
    const check = await usagetop(["--demo", "config", "check"]);
    expect([check.exitCode, check.stdout]).toEqual([0, `ok: ${configFile} (not read under --demo)`]);
    rmSync(configFile);
    const init = await usagetop(["--demo", "config", "init"]);
    expect(init.exitCode).toBe(1);
    expect(() => statSync(configFile)).toThrow();
    const named = join(home, "demo.toml");
    const initNamed = await usagetop(["--demo", "config", "init", "--config", named]);
    expect(initNamed.exitCode).toBe(0);
    expect(statSync(named).isFile()).toBe(true);
  });

  it("removes the --demo state dir when the process exits", async () => {
    const script = `const { loadConfig } = await import(${JSON.stringify(join(ROOT, "dist", "config", "load.js"))});
      const dir = loadConfig({ demo: true }, { HOME: ${JSON.stringify(home)} }).paths.stateDir;
      (await import("node:fs")).writeFileSync(dir + "/cache.json", "{}");
      console.log(dir);`;
    const r = await execa("node", ["--input-type=module", "-e", script], { reject: false });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith(tmpdir())).toBe(true);
    expect(() => statSync(r.stdout)).toThrow();
  });
});
