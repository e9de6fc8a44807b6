// The resolved configuration every module reads: flags > env > config file > defaults (SPEC 6.1, 7).
// `file` keeps the parsed config.toml for sections read as tables (prices, cost tiers, plans);
// the scalar settings are resolved once here so no module re-implements the layering.
import type { ConfigFile } from "./schema.js";

export type Paths = {
  /** The config file path, whether or not it exists. */
  configFile: string;
  /** $XDG_STATE_HOME/usagetop (a temp dir under --demo). */
  stateDir: string;
  /** Credentials dir for slots: slots.dir > USAGETOP_CREDS_DIR/GPTME_SUBSCRIPTION_CREDS_DIR > CLAUDE_CONFIG_DIR > ~/.claude. */
  credsDir: string;
  /** Claude config roots for transcripts (CLAUDE_CONFIG_DIR may list several, comma-separated). */
  claudeDirs: string[];
  /** ~/.claude.json (or $CLAUDE_CONFIG_DIR/.claude.json). */
  claudeJson: string;
  codexHome: string;
  home: string;
};

export type Config = {
  file: ConfigFile;
  /** The file actually read, null when none existed (defaults). */
  loadedFrom: string | null;
  paths: Paths;
  /** Explicit plan (flag, env, file, harness-quota import); null means detect from credentials. */
  plan: string | null;
  slot: string | null;
  /** Default poll interval in seconds. */
  interval: number;
  timezone: string | null;
  demo: boolean;
  noCache: boolean;
  debug: boolean;
  color: boolean;
  oauthBaseUrl: string;
  slots: {
    names: string[] | null;
    primary: string | null;
    fallbackOrder: string[] | null;
    lockGlob: string | null;
    weeklyExhausted: number;
    fiveHourExhausted: number;
    sonnetExhausted: number;
    probeCooldown: number;
    returnCooldown: number;
  };
  pacing: { target: number; band: number };
  /** What was imported from gptme's harness-quota.toml, for `config check` to say. */
  imported: string[];
  /** gptme harness-quota.toml `[prices.<harness>] <model> = [input, output]`, USD per 1M tokens. */
  harnessPrices: Record<string, Record<string, { input: number; output: number }>>;
  /** gptme harness-quota.toml `[tps.<harness>] <model> = N`, tokens per second. */
  harnessTps: Record<string, Record<string, number>>;
  env: Record<string, string | undefined>;
};
