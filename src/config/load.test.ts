import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, type ConfigFlags } from "./load.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/config");

let home: string;
let cleanup: string[] = [];

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "usagetop-config-"));
  cleanup = [home];
});

afterEach(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

/** Writes config.toml where the XDG default puts it and returns its path. */
function writeConfig(text: string): string {
  const dir = join(home, ".config", "usagetop");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "config.toml");
  writeFileSync(path, text);
  return path;
}

function writeHarnessQuota(fixture: string, configHome = join(home, ".config")): string {
  mkdirSync(join(configHome, "gptme"), { recursive: true });
  const path = join(configHome, "gptme", "harness-quota.toml");
  copyFileSync(join(FIXTURES, fixture), path);
  return path;
}

function load(flags: ConfigFlags = {}, env: Record<string, string | undefined> = {}) {
  const config = loadConfig(flags, { HOME: home, ...env });
  if (config.demo) cleanup.push(config.paths.stateDir);
  return config;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("paths (SPEC 7.1)", () => {
  it("uses the XDG defaults under HOME when nothing is set", () => {
    const c = load();
    expect(c.paths.configFile).toBe(join(home, ".config", "usagetop", "config.toml"));
    expect(c.paths.stateDir).toBe(join(home, ".local", "state", "usagetop"));
    expect(c.paths.credsDir).toBe(join(home, ".claude"));
    expect(c.paths.claudeDirs).toEqual([join(home, ".claude"), join(home, ".config", "claude")]);
    expect(c.paths.claudeJson).toBe(join(home, ".claude.json"));
    expect(c.paths.codexHome).toBe(join(home, ".codex"));
    expect(c.loadedFrom).toBeNull();
  });

  it("honours XDG_CONFIG_HOME and XDG_STATE_HOME, ignoring relative values as the XDG spec says", () => {
    const c = load({}, { XDG_CONFIG_HOME: "/cfg", XDG_STATE_HOME: "/state" });
    expect(c.paths.configFile).toBe("/cfg/usagetop/config.toml");
    expect(c.paths.stateDir).toBe("/state/usagetop");
    const relative = load({}, { XDG_CONFIG_HOME: "cfg", XDG_STATE_HOME: "" });
    expect(relative.paths.configFile).toBe(join(home, ".config", "usagetop", "config.toml"));
    expect(relative.paths.stateDir).toBe(join(home, ".local", "state", "usagetop"));
  });

  it("takes --config over USAGETOP_CONFIG over the XDG path, expanding ~", () => {
    writeFileSync(join(home, "a.toml"), '[general]\nplan = "pro"\n');
    writeFileSync(join(home, "b.toml"), '[general]\nplan = "api"\n');
    expect(load({}, { USAGETOP_CONFIG: "~/a.toml" }).plan).toBe("pro");
    const both = load({ config: "~/b.toml" }, { USAGETOP_CONFIG: "~/a.toml" });
    expect(both.plan).toBe("api");
    expect(both.loadedFrom).toBe(join(home, "b.toml"));
  });

  it("splits CLAUDE_CONFIG_DIR and takes the first entry for credentials and .claude.json", () => {
    const c = load({}, { CLAUDE_CONFIG_DIR: "~/one, /two ,," });
    expect(c.paths.claudeDirs).toEqual([join(home, "one"), "/two"]);
    expect(c.paths.credsDir).toBe(join(home, "one"));
    expect(c.paths.claudeJson).toBe(join(home, "one", ".claude.json"));
  });

  it("orders the credentials dir slots.dir > USAGETOP_CREDS_DIR > GPTME_SUBSCRIPTION_CREDS_DIR > CLAUDE_CONFIG_DIR > ~/.claude", () => {
    const env = { USAGETOP_CREDS_DIR: "/u", GPTME_SUBSCRIPTION_CREDS_DIR: "/g", CLAUDE_CONFIG_DIR: "/c" };
    expect(load({}, { CLAUDE_CONFIG_DIR: "/c" }).paths.credsDir).toBe("/c");
    expect(load({}, { GPTME_SUBSCRIPTION_CREDS_DIR: "~/g", CLAUDE_CONFIG_DIR: "/c" }).paths.credsDir).toBe(join(home, "g"));
    expect(load({}, env).paths.credsDir).toBe("/u");
    writeConfig('[slots]\ndir = "~/creds"\n');
    expect(load({}, env).paths.credsDir).toBe(join(home, "creds"));
  });

  it("expands ~ in every path the file holds", () => {
    copyFileSync(join(FIXTURES, "full.toml"), writeConfig(""));
    const c = load();
    expect(c.paths.credsDir).toBe(join(home, "creds"));
    expect(c.slots.lockGlob).toBe(join(home, "locks", "*.lock"));
    expect(c.paths.codexHome).toBe(join(home, "codex-home"));
    expect(c.file.readers?.claude_cache?.path).toBe(join(home, ".claude.json"));
    expect(c.file.readers?.headers?.path).toBe(join(home, "headers"));
    expect(c.file.readers?.transcripts?.dirs).toEqual([join(home, ".claude"), "/srv/claude"]);
    expect(c.file.readers?.usage_script?.command).toEqual([join(home, "bin", "usage.sh"), "--quiet"]);
  });

  it("lets CODEX_HOME beat [readers.codex] home", () => {
    writeConfig('[readers.codex]\nhome = "/from-file"\n');
    expect(load().paths.codexHome).toBe("/from-file");
    expect(load({}, { CODEX_HOME: "~/cx" }).paths.codexHome).toBe(join(home, "cx"));
  });
});

describe("layering: flags > env > file > defaults", () => {
  const FILE = '[general]\nplan = "pro"\nslot = "filed"\ninterval = 240\n[readers.oauth]\nbase_url = "http://127.0.0.1:1/"\n';

  it("uses defaults with no file", () => {
    const c = load();
    expect([c.plan, c.slot, c.interval, c.oauthBaseUrl]).toEqual([null, null, 180, "https://api.anthropic.com"]);
  });

  it("uses the file over defaults", () => {
    writeConfig(FILE);
    const c = load();
    expect([c.plan, c.slot, c.interval, c.oauthBaseUrl]).toEqual(["pro", "filed", 240, "http://127.0.0.1:1"]);
  });

  it("uses the environment over the file", () => {
    writeConfig(FILE);
    const env = { USAGETOP_PLAN: "api", USAGETOP_SLOT: "envy", USAGETOP_INTERVAL: "60", USAGETOP_ANTHROPIC_BASE_URL: "http://127.0.0.1:2" };
    const c = load({}, env);
    expect([c.plan, c.slot, c.interval, c.oauthBaseUrl]).toEqual(["api", "envy", 60, "http://127.0.0.1:2"]);
  });

  it("uses flags over the environment", () => {
    writeConfig(FILE);
    const c = load({ plan: "codex", slot: "flagged", interval: 30 }, { USAGETOP_PLAN: "api", USAGETOP_SLOT: "envy", USAGETOP_INTERVAL: "60" });
    expect([c.plan, c.slot, c.interval]).toEqual(["codex", "flagged", 30]);
  });

  it("takes timezone from --timezone over the file", () => {
    writeConfig('[general]\ntimezone = "Europe/Helsinki"\n');
    expect(load().timezone).toBe("Europe/Helsinki");
    expect(load({ timezone: "America/Chicago" }).timezone).toBe("America/Chicago");
  });

  it("layers the slot settings and falls back to GPTME_SUBSCRIPTION_* when USAGETOP_* is unset", () => {
    writeConfig('[slots]\nnames = ["a", "b"]\nfallback_order = ["b"]\nlock_glob = "/file/*.lock"\nweekly_exhausted = 70\nprobe_cooldown = 100\n');
    const fromFile = load();
    expect(fromFile.slots).toMatchObject({ names: ["a", "b"], fallbackOrder: ["b"], lockGlob: "/file/*.lock", weeklyExhausted: 70, probeCooldown: 100 });

    const gptme = {
      GPTME_SUBSCRIPTION_SLOTS: "bob, alice",
      GPTME_SUBSCRIPTION_FALLBACK_ORDER: "alice",
      GPTME_SUBSCRIPTION_LOCK_GLOB: "~/g/*.lock",
      GPTME_SUBSCRIPTION_WEEKLY_EXHAUSTED: "0.85",
      GPTME_SUBSCRIPTION_PROBE_COOLDOWN: "1800",
      GPTME_SUBSCRIPTION_FIVE_HOUR_EXHAUSTED: "0.9",
      GPTME_SUBSCRIPTION_SONNET_WEEKLY_EXHAUSTED: "0.95",
    };
    expect(load({}, gptme).slots).toMatchObject({
      names: ["bob", "alice"],
      fallbackOrder: ["alice"],
      lockGlob: join(home, "g", "*.lock"),
      weeklyExhausted: 85,
      fiveHourExhausted: 90,
      sonnetExhausted: 95,
      probeCooldown: 1800,
    });

    const own = {
      USAGETOP_SLOTS: "x,y",
      USAGETOP_FALLBACK_ORDER: "y",
      USAGETOP_LOCK_GLOB: "/own/*.lock",
      USAGETOP_WEEKLY_EXHAUSTED: "75",
      USAGETOP_PROBE_COOLDOWN: "0",
    };
    expect(load({}, { ...gptme, ...own }).slots).toMatchObject({
      names: ["x", "y"],
      fallbackOrder: ["y"],
      lockGlob: "/own/*.lock",
      weeklyExhausted: 75,
      probeCooldown: 0,
    });
  });

  it("treats an empty variable as unset", () => {
    writeConfig('[general]\nplan = "pro"\n');
    const c = load({}, { USAGETOP_PLAN: "", USAGETOP_SLOTS: " ", GPTME_SUBSCRIPTION_SLOTS: "g" });
    expect(c.plan).toBe("pro");
    expect(c.slots.names).toEqual(["g"]);
  });

  it("keeps the built-in slot defaults", () => {
    expect(load().slots).toEqual({
      names: null,
      primary: null,
      fallbackOrder: null,
      lockGlob: null,
      weeklyExhausted: 85,
      fiveHourExhausted: 90,
      sonnetExhausted: 95,
      probeCooldown: 3600,
      returnCooldown: 1800,
    });
    expect(load().pacing).toEqual({ target: 1, band: 5 });
  });
});

describe("empty, missing and broken files", () => {
  it("treats an empty file as all defaults and says it was read", () => {
    const path = writeConfig("");
    const c = load();
    expect(c.loadedFrom).toBe(path);
    expect(c.file).toEqual({});
    expect(c.interval).toBe(180);
  });

  it("treats a missing file, even one named by --config, as defaults", () => {
    const c = load({ config: join(home, "nope", "config.toml") });
    expect(c.loadedFrom).toBeNull();
    expect(c.paths.configFile).toBe(join(home, "nope", "config.toml"));
  });

  it("names file, line and key for a typo", () => {
    const path = writeConfig('[general]\nplan = "max"\n\nintervall = 3\n');
    expect(errorOf(() => load())).toBe(`${path}:4: unknown key "intervall" in [general] (did you mean "interval"?)`);
  });

  it("refuses a directory where the file should be", () => {
    mkdirSync(join(home, ".config", "usagetop", "config.toml"), { recursive: true });
    expect(errorOf(() => load())).toMatch(/config\.toml: is a directory/);
  });

  it.skipIf(process.getuid?.() === 0)("says so when the file cannot be read", () => {
    const path = writeConfig("");
    writeFileSync(path, "", { mode: 0o000 });
    expect(errorOf(() => load())).toBe(`${path}: cannot read: permission denied`);
  });
});

describe("flag and environment values are checked", () => {
  it.each([
    [{ plan: "maxx" }, {}, /^--plan: unknown plan "maxx" \(built-in: pro, max, max_5x/],
    [{ slot: "Bad Slot" }, {}, /^--slot: "Bad Slot" is not a slot name/],
    [{ interval: Number.NaN }, {}, /^--interval: expected a positive number of seconds, got NaN$/],
    [{ interval: 0 }, {}, /^--interval: expected a positive number of seconds, got 0$/],
    [{ timezone: "Mars/Base" }, {}, /^--timezone: unknown time zone "Mars\/Base"/],
    [{}, { USAGETOP_PLAN: "gold" }, /^USAGETOP_PLAN: unknown plan "gold"/],
    [{}, { USAGETOP_SLOT: "UPPER" }, /^USAGETOP_SLOT: "UPPER" is not a slot name/],
    [{}, { USAGETOP_INTERVAL: "soon" }, /^USAGETOP_INTERVAL: expected a positive number of seconds, got "soon"$/],
    [{}, { USAGETOP_ANTHROPIC_BASE_URL: "ftp://x" }, /^USAGETOP_ANTHROPIC_BASE_URL: expected an http\(s\) URL, got "ftp:\/\/x"$/],
    [{}, { GPTME_SUBSCRIPTION_SLOTS: "ok,Not OK" }, /^GPTME_SUBSCRIPTION_SLOTS: "Not OK" is not a slot name/],
    [{}, { GPTME_SUBSCRIPTION_WEEKLY_EXHAUSTED: "high" }, /^GPTME_SUBSCRIPTION_WEEKLY_EXHAUSTED: expected a percentage \(85\) or a fraction \(0\.85\), got "high"$/],
    [{}, { USAGETOP_PROBE_COOLDOWN: "-1" }, /^USAGETOP_PROBE_COOLDOWN: expected a number of seconds >= 0, got "-1"$/],
  ] as Array<[ConfigFlags, Record<string, string>, RegExp]>)("%#", (flags, env, message) => {
    expect(errorOf(() => load(flags, env))).toMatch(message);
  });

  it("accepts a plan defined in the file from a flag or the environment", () => {
    writeConfig('[plans.mine]\nmeters = ["five_hour"]\n');
    expect(load({ plan: "mine" }).plan).toBe("mine");
    expect(load({}, { USAGETOP_PLAN: "mine" }).plan).toBe("mine");
  });
});

describe("gptme harness-quota.toml (SPEC 7.2)", () => {
  it("imports the plan tier, prices and tokens per second, and ignores other tables", () => {
    const path = writeHarnessQuota("harness-quota.toml");
    const c = load();
    expect(c.plan).toBe("max_5x");
    expect(c.harnessPrices).toEqual({
      "claude-code": { opus: { input: 5, output: 25 }, sonnet: { input: 3, output: 15 } },
      gptme: { "deepseek-v4-pro": { input: 1.74, output: 3.48 } },
    });
    expect(c.harnessTps).toEqual({ "claude-code": { opus: 10000, sonnet: 8000 } });
    expect(c.imported).toEqual([
      `imported plan max_5x from claude_plan_tier = "max-5x" in ${path}`,
      `imported prices for 3 models (claude-code: opus, sonnet; gptme: deepseek-v4-pro) from ${path}`,
      `imported tokens per second for 2 models (claude-code: opus, sonnet) from ${path}`,
    ]);
  });

  it("lets usagetop's own file, environment and flags win over claude_plan_tier", () => {
    const path = writeHarnessQuota("harness-quota.toml");
    expect(load({}, { USAGETOP_PLAN: "pro" }).imported[0]).toBe(`not imported: claude_plan_tier = "max-5x" in ${path}: plan set by USAGETOP_PLAN`);
    expect(load({ plan: "api" }).plan).toBe("api");
    const config = writeConfig('[general]\nplan = "max_20x"\n');
    const c = load();
    expect(c.plan).toBe("max_20x");
    expect(c.imported[0]).toBe(`not imported: claude_plan_tier = "max-5x" in ${path}: plan set by [general] plan in ${config}`);
    expect(c.harnessPrices["claude-code"]?.opus).toEqual({ input: 5, output: 25 });
  });

  it("reads it under $XDG_CONFIG_HOME/gptme when that is set", () => {
    const xdg = join(home, "xdg");
    writeHarnessQuota("harness-quota.toml", xdg);
    expect(load().plan).toBeNull();
    expect(load({}, { XDG_CONFIG_HOME: xdg }).plan).toBe("max_5x");
  });

  it("skips bad entries with a note naming file and line, keeping the good ones", () => {
    const path = writeHarnessQuota("harness-quota-bad.toml");
    const c = load();
    expect(c.plan).toBeNull();
    expect(c.harnessPrices).toEqual({ "claude-code": { opus: { input: 5, output: 25 } } });
    expect(c.harnessTps).toEqual({});
    expect(c.imported).toEqual([
      `imported prices for 1 model (claude-code: opus) from ${path}`,
      `${path}:1: skipped claude_plan_tier "ultra": expected "pro", "max-5x" or "max-20x"`,
      `${path}:5: skipped [prices.claude-code] sonnet: expected [input, output] in USD per 1M tokens`,
      `${path}:8: skipped [tps.claude-code] opus: expected a positive number of tokens per second`,
    ]);
  });

  it("never stops usagetop over a broken file that belongs to gptme", () => {
    mkdirSync(join(home, ".config", "gptme"), { recursive: true });
    const path = join(home, ".config", "gptme", "harness-quota.toml");
    writeFileSync(path, "claude_plan_tier = \n");
    const c = load();
    expect(c.plan).toBeNull();
    expect(c.imported).toEqual([`${path}:1: not read: invalid TOML: invalid value`]);
  });
});

describe("--demo (SPEC 6.1)", () => {
  it("reads no user config or harness-quota file and uses a fresh temp state dir", () => {
    writeConfig("this is not toml");
    writeHarnessQuota("harness-quota.toml");
    const a = load({ demo: true });
    const b = load({ demo: true });
    expect(a.loadedFrom).toBeNull();
    expect(a.plan).toBeNull();
    expect(a.imported).toEqual([]);
    expect(a.paths.stateDir.startsWith(tmpdir())).toBe(true);
    expect(a.paths.stateDir).not.toBe(b.paths.stateDir);
    expect(statSync(a.paths.stateDir).isDirectory()).toBe(true);
  });

  it("reads the file named by --config", () => {
    writeFileSync(join(home, "demo.toml"), '[general]\nplan = "codex"\n');
    const c = load({ demo: true, config: join(home, "demo.toml") });
    expect(c.plan).toBe("codex");
    expect(c.loadedFrom).toBe(join(home, "demo.toml"));
  });
});
