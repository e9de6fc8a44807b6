// Minimal loader: defaults + file + flags. (Config helper extends: line-numbered errors, env layering,
// GPTME_SUBSCRIPTION_* fallbacks, harness-quota import.)
import { readFileSync, mkdtempSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "smol-toml";
import type { Config } from "./config.js";
import { ConfigFileSchema, type ConfigFile } from "./schema.js";

export type ConfigFlags = {
  config?: string;
  plan?: string;
  slot?: string;
  interval?: number;
  noCache?: boolean;
  debug?: boolean;
  color?: boolean;
  demo?: boolean;
};

export class ConfigError extends Error {}

export function loadConfig(flags: ConfigFlags, env: Record<string, string | undefined>): Config {
  const home = env.HOME ?? homedir();
  const xdgConfig = env.XDG_CONFIG_HOME || join(home, ".config");
  const xdgState = env.XDG_STATE_HOME || join(home, ".local", "state");
  const configFile = flags.config ?? env.USAGETOP_CONFIG ?? join(xdgConfig, "usagetop", "config.toml");
  let file: ConfigFile = {};
  let loadedFrom: string | null = null;
  const readUserFiles = !flags.demo || flags.config !== undefined;
  if (readUserFiles) {
    let text: string | null = null;
    try {
      text = readFileSync(configFile, "utf8");
    } catch {
      text = null;
    }
    if (text !== null) {
      const parsed = ConfigFileSchema.safeParse(parse(text));
      if (!parsed.success) throw new ConfigError(`${configFile}: ${parsed.error.issues[0]?.message}`);
      file = parsed.data;
      loadedFrom = configFile;
    }
  }
  const claudeDirsEnv = env.CLAUDE_CONFIG_DIR;
  const claudeDirs = claudeDirsEnv
    ? claudeDirsEnv.split(",").map((d) => d.trim()).filter(Boolean)
    : [join(home, ".claude"), join(xdgConfig, "claude")];
  const stateDir = flags.demo ? mkdtempSync(join(tmpdir(), "usagetop-demo-")) : join(xdgState, "usagetop");
  const credsDir = file.slots?.dir ?? claudeDirs[0] ?? join(home, ".claude");
  return {
    file,
    loadedFrom,
    paths: {
      configFile,
      stateDir,
      credsDir,
      claudeDirs,
      claudeJson: claudeDirsEnv ? join(claudeDirs[0]!, ".claude.json") : join(home, ".claude.json"),
      codexHome: env.CODEX_HOME ?? join(home, ".codex"),
      home,
    },
    plan: flags.plan ?? env.USAGETOP_PLAN ?? file.general?.plan ?? null,
    slot: flags.slot ?? env.USAGETOP_SLOT ?? file.general?.slot ?? null,
    interval: flags.interval ?? file.general?.interval ?? 180,
    timezone: file.general?.timezone ?? null,
    demo: flags.demo ?? false,
    noCache: flags.noCache ?? false,
    debug: flags.debug ?? false,
    color: flags.color ?? true,
    oauthBaseUrl: env.USAGETOP_ANTHROPIC_BASE_URL ?? file.readers?.oauth?.base_url ?? "https://api.anthropic.com",
    slots: {
      names: file.slots?.names ?? null,
      primary: file.slots?.primary ?? null,
      fallbackOrder: file.slots?.fallback_order ?? null,
      lockGlob: file.slots?.lock_glob ?? null,
      weeklyExhausted: file.slots?.weekly_exhausted ?? 85,
      fiveHourExhausted: file.slots?.five_hour_exhausted ?? 90,
      sonnetExhausted: file.slots?.sonnet_exhausted ?? 95,
      probeCooldown: file.slots?.probe_cooldown ?? 3600,
      returnCooldown: file.slots?.return_cooldown ?? 1800,
    },
    pacing: { target: file.pacing?.target ?? 1, band: file.pacing?.band ?? 5 },
    imported: [],
    env,
  };
}
