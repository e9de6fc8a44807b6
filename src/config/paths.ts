// Where usagetop's files live (SPEC 7.1): XDG base directories, `~` expansion and the
// Claude/Codex roots every reader shares. Pure: the environment is passed in.
import { isAbsolute, join, resolve } from "node:path";

export type Env = Record<string, string | undefined>;

/** A set, non-empty variable, else undefined (an empty `FOO=` means unset, as in gptme). */
export function envValue(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

/** `~` and `~/x` become paths under home; anything else is returned as is. */
export function expandHome(path: string, home: string): string {
  if (path === "~") return home;
  if (path.startsWith("~/")) return join(home, path.slice(2));
  return path;
}

/**
 * An XDG base directory. The XDG spec says relative values are invalid and must be ignored,
 * so a stray `XDG_CONFIG_HOME=.config` does not scatter files around the working directory.
 */
export function xdgDir(env: Env, name: "XDG_CONFIG_HOME" | "XDG_STATE_HOME", fallback: string): string {
  const v = envValue(env, name);
  return v !== undefined && isAbsolute(v) ? v : fallback;
}

export function homeDir(env: Env, osHome: string): string {
  return envValue(env, "HOME") ?? osHome;
}

export function configHome(env: Env, home: string): string {
  return xdgDir(env, "XDG_CONFIG_HOME", join(home, ".config"));
}

export function stateHome(env: Env, home: string): string {
  return xdgDir(env, "XDG_STATE_HOME", join(home, ".local", "state"));
}

/** `--config` > USAGETOP_CONFIG > $XDG_CONFIG_HOME/usagetop/config.toml, absolute. */
export function configFilePath(flag: string | undefined, env: Env, home: string): string {
  const given = flag !== undefined && flag.trim() !== "" ? flag : envValue(env, "USAGETOP_CONFIG");
  if (given !== undefined) return resolve(expandHome(given, home));
  return join(configHome(env, home), "usagetop", "config.toml");
}

/** gptme-usage's per-agent quota file: read when present, never written (SPEC 7.2). */
export function harnessQuotaPath(env: Env, home: string): string {
  return join(configHome(env, home), "gptme", "harness-quota.toml");
}

/** CLAUDE_CONFIG_DIR may list several roots, comma-separated (SPEC 3.2.7). */
export function claudeConfigDirs(env: Env, home: string): string[] | null {
  const v = envValue(env, "CLAUDE_CONFIG_DIR");
  if (v === undefined) return null;
  const dirs = v
    .split(",")
    .map((d) => d.trim())
    .filter(Boolean)
    .map((d) => resolve(expandHome(d, home)));
  return dirs.length > 0 ? dirs : null;
}
