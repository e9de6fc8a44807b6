// Resolves the configuration once: flags > environment > config.toml > gptme's harness-quota.toml
// > defaults (SPEC 6.1, 7). A bad file, flag or variable throws a ConfigError whose message is
// one line naming it (file:line and key for the file); the CLI prints it and exits 1.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { SLOT_NAME } from "../slots/layout.js";
import type { Config } from "./config.js";
import { ConfigError } from "./config-error.js";
import { DEFAULTS } from "./defaults.js";
import { readEnvSettings } from "./env.js";
import { describeImport, emptyHarnessQuota, parseHarnessQuota, type HarnessQuota } from "./harness-quota.js";
import { parseConfigText } from "./parse-file.js";
import { claudeConfigDirs, configFilePath, configHome, expandHome, harnessQuotaPath, homeDir, stateHome, type Env } from "./paths.js";
import type { ConfigFile } from "./schema.js";
import { badSlotNameText, isKnownPlan, unknownPlanText } from "./validate.js";
import { isTimeZone } from "../model/zone-names.js";

export { ConfigError } from "./config-error.js";

export type ConfigFlags = {
  config?: string;
  plan?: string;
  slot?: string;
  interval?: number;
  /** `--timezone`, for reports; beats [general] timezone. */
  timezone?: string;
  noCache?: boolean;
  debug?: boolean;
  color?: boolean;
  demo?: boolean;
};

const demoStateDirs = new Set<string>();

/**
 * A fresh state dir for --demo, removed when the process exits: demo runs write nothing that
 * outlives them (a status line under --demo runs every few seconds and would litter /tmp).
 */
function demoStateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "usagetop-demo-"));
  if (demoStateDirs.size === 0) {
    process.once("exit", () => {
      for (const d of demoStateDirs) rmSync(d, { recursive: true, force: true });
    });
  }
  demoStateDirs.add(dir);
  return dir;
}

function demoPaths(configFile: string, stateDir: string): Config["paths"] {
  const home = join(stateDir, "home");
  const claude = join(home, ".claude");
  return { configFile, stateDir, credsDir: claude, claudeDirs: [claude], claudeJson: join(home, ".claude.json"), codexHome: join(home, ".codex"), home };
}

/** The file's text, or null when there is none (a missing file means defaults). */
function readOptional(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    if (code === "EISDIR") throw new ConfigError(`${path}: is a directory, not a config file`, path);
    if (code === "EACCES" || code === "EPERM") throw new ConfigError(`${path}: cannot read: permission denied`, path);
    throw new ConfigError(`${path}: cannot read: ${(err as Error).message}`, path);
  }
}

/** Reads the harness-quota file; an unreadable one is a note, since it is another tool's file. */
function readHarnessQuota(path: string): HarnessQuota {
  let text: string | null;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return emptyHarnessQuota();
    return { ...emptyHarnessQuota(), notes: [`${path}: not read: ${(err as Error).message}`] };
  }
  return parseHarnessQuota(text, path);
}

/** Paths in the file may start with `~`; expand them once here so no reader has to. */
function expandFilePaths(parsed: ConfigFile, home: string): ConfigFile {
  const file = structuredClone(parsed);
  const ex = (p: string) => expandHome(p, home);
  const { slots, readers: r } = file;
  if (slots?.dir !== undefined) slots.dir = ex(slots.dir);
  if (slots?.lock_glob !== undefined) slots.lock_glob = ex(slots.lock_glob);
  if (r?.claude_cache?.path !== undefined) r.claude_cache.path = ex(r.claude_cache.path);
  if (r?.headers?.path !== undefined) r.headers.path = ex(r.headers.path);
  if (r?.codex?.home !== undefined) r.codex.home = ex(r.codex.home);
  if (r?.transcripts?.dirs !== undefined) r.transcripts.dirs = r.transcripts.dirs.map(ex);
  if (r?.usage_screen?.claude_bin !== undefined) r.usage_screen.claude_bin = ex(r.usage_screen.claude_bin);
  if (r?.usage_screen?.tmux_bin !== undefined) r.usage_screen.tmux_bin = ex(r.usage_screen.tmux_bin);
  const command = r?.usage_script?.command;
  if (r?.usage_script && command !== undefined) {
    // Only the program is a path; its arguments are passed through untouched.
    r.usage_script.command = typeof command === "string" ? ex(command) : command.map((c, i) => (i === 0 ? ex(c) : c));
  }
  return file;
}

function checkFlags(flags: ConfigFlags, file: ConfigFile): void {
  if (flags.plan !== undefined && !isKnownPlan(flags.plan, file)) throw new ConfigError(`--plan: ${unknownPlanText(flags.plan)}`);
  if (flags.slot !== undefined && !SLOT_NAME.test(flags.slot)) throw new ConfigError(`--slot: ${badSlotNameText(flags.slot)}`);
  if (flags.interval !== undefined && !(Number.isFinite(flags.interval) && flags.interval > 0)) {
    throw new ConfigError(`--interval: expected a positive number of seconds, got ${String(flags.interval)}`);
  }
  if (flags.timezone !== undefined && !isTimeZone(flags.timezone)) {
    throw new ConfigError(`--timezone: unknown time zone ${JSON.stringify(flags.timezone)} (an IANA name such as "Europe/Helsinki")`);
  }
}

export function loadConfig(flags: ConfigFlags, env: Env): Config {
  const home = homeDir(env, homedir());
  const configFile = configFilePath(flags.config, env, home);
  // --demo reads no user files unless a config file is named explicitly (SPEC 6.1).
  const readUserFiles = !flags.demo || flags.config !== undefined;
  let file: ConfigFile = {};
  let loadedFrom: string | null = null;
  if (readUserFiles) {
    const text = readOptional(configFile);
    if (text !== null) {
      file = expandFilePaths(parseConfigText(text, configFile), home);
      loadedFrom = configFile;
    }
  }
  checkFlags(flags, file);
  const fromEnv = readEnvSettings(env, home);
  if (fromEnv.plan && !isKnownPlan(fromEnv.plan.value, file)) {
    throw new ConfigError(`${fromEnv.plan.from}: ${unknownPlanText(fromEnv.plan.value)}`);
  }

  const quotaFile = harnessQuotaPath(env, home);
  const quota = flags.demo ? emptyHarnessQuota() : readHarnessQuota(quotaFile);
  const planSetBy =
    flags.plan !== undefined ? "--plan" : fromEnv.plan ? fromEnv.plan.from : file.general?.plan !== undefined ? `[general] plan in ${configFile}` : null;

  const xdgConfig = configHome(env, home);
  const envClaudeDirs = claudeConfigDirs(env, home);
  const claudeDirs = envClaudeDirs ?? [join(home, ".claude"), join(xdgConfig, "claude")];
  const stateDir = flags.demo ? demoStateDir() : join(stateHome(env, home), "usagetop");
  // The file beats the environment here (the lead's contract in config.ts): slots.dir names
  // where this install keeps its slots; the variables are gptme's defaults for every tool.
  const credsDir = file.slots?.dir ?? fromEnv.credsDir?.value ?? envClaudeDirs?.[0] ?? join(home, ".claude");
  const codexHomeEnv = env.CODEX_HOME?.trim();
  const fileBaseUrl = file.readers?.oauth?.base_url?.replace(/\/+$/, "");

  const userPaths = {
    configFile,
    stateDir,
    credsDir,
    claudeDirs,
    claudeJson: envClaudeDirs ? join(envClaudeDirs[0]!, ".claude.json") : join(home, ".claude.json"),
    codexHome: codexHomeEnv ? expandHome(codexHomeEnv, home) : (file.readers?.codex?.home ?? join(home, ".codex")),
    home,
  };
  return {
    file,
    loadedFrom,
    // --demo never reads or writes the user's ~/.claude, ~/.codex or home: every path points into
    // the demo's own temp dir, so even a command with no demo data (slots, switch) finds nothing there.
    paths: readUserFiles ? userPaths : demoPaths(configFile, stateDir),
    plan: flags.plan ?? fromEnv.plan?.value ?? file.general?.plan ?? quota.plan ?? null,
    slot: flags.slot ?? fromEnv.slot?.value ?? file.general?.slot ?? null,
    interval: flags.interval ?? fromEnv.interval?.value ?? file.general?.interval ?? DEFAULTS.interval,
    timezone: flags.timezone ?? file.general?.timezone ?? null,
    demo: flags.demo ?? false,
    noCache: flags.noCache ?? false,
    debug: flags.debug ?? false,
    color: flags.color ?? true,
    oauthBaseUrl: fromEnv.oauthBaseUrl?.value ?? fileBaseUrl ?? DEFAULTS.oauthBaseUrl,
    slots: {
      names: fromEnv.slotNames?.value ?? file.slots?.names ?? null,
      primary: file.slots?.primary ?? null,
      fallbackOrder: fromEnv.fallbackOrder?.value ?? file.slots?.fallback_order ?? null,
      lockGlob: fromEnv.lockGlob?.value ?? file.slots?.lock_glob ?? null,
      weeklyExhausted: fromEnv.weeklyExhausted?.value ?? file.slots?.weekly_exhausted ?? DEFAULTS.slots.weeklyExhausted,
      fiveHourExhausted: fromEnv.fiveHourExhausted?.value ?? file.slots?.five_hour_exhausted ?? DEFAULTS.slots.fiveHourExhausted,
      sonnetExhausted: fromEnv.sonnetExhausted?.value ?? file.slots?.sonnet_exhausted ?? DEFAULTS.slots.sonnetExhausted,
      probeCooldown: fromEnv.probeCooldown?.value ?? file.slots?.probe_cooldown ?? DEFAULTS.slots.probeCooldown,
      returnCooldown: file.slots?.return_cooldown ?? DEFAULTS.slots.returnCooldown,
    },
    pacing: { target: file.pacing?.target ?? DEFAULTS.pacing.target, band: file.pacing?.band ?? DEFAULTS.pacing.band },
    imported: describeImport(quota, quotaFile, planSetBy),
    harnessPrices: quota.prices,
    harnessTps: quota.tps,
    env,
  };
}

// The CLI's suggestions for mistyped flags, commands and projects take closestKey from here, a
// module every command has loaded already: importing closest-word.js on its own would make it a
// chunk of its own, loaded at every start.
export { closestKey } from "./closest-word.js";
