// The environment layer (SPEC 6.1, 7.2): USAGETOP_* variables, and gptme-subscription's
// GPTME_SUBSCRIPTION_* names honoured when the matching USAGETOP_* one is unset, so an existing
// gptme setup works unchanged. A bad value is a ConfigError naming the variable.
import { SLOT_NAME } from "../slots/layout.js";
import { ConfigError } from "./config-error.js";
import { envValue, expandHome, type Env } from "./paths.js";
import { badSlotNameText } from "./validate.js";

export type Sourced<T> = { value: T; from: string };

export type EnvSettings = {
  plan?: Sourced<string>;
  slot?: Sourced<string>;
  interval?: Sourced<number>;
  oauthBaseUrl?: Sourced<string>;
  slotNames?: Sourced<string[]>;
  fallbackOrder?: Sourced<string[]>;
  credsDir?: Sourced<string>;
  lockGlob?: Sourced<string>;
  weeklyExhausted?: Sourced<number>;
  fiveHourExhausted?: Sourced<number>;
  sonnetExhausted?: Sourced<number>;
  probeCooldown?: Sourced<number>;
};

/** USAGETOP_<name>, else GPTME_SUBSCRIPTION_<gptmeName>. */
function slotVar(env: Env, name: string, gptmeName = name): Sourced<string> | undefined {
  for (const key of [`USAGETOP_${name}`, `GPTME_SUBSCRIPTION_${gptmeName}`]) {
    const value = envValue(env, key);
    if (value !== undefined) return { value, from: key };
  }
  return undefined;
}

function own(env: Env, key: string): Sourced<string> | undefined {
  const value = envValue(env, key);
  return value === undefined ? undefined : { value, from: key };
}

function badValue(from: string, expected: string, got: string): ConfigError {
  return new ConfigError(`${from}: expected ${expected}, got ${JSON.stringify(got)}`);
}

function number(v: Sourced<string> | undefined, expected: string, ok: (n: number) => boolean): Sourced<number> | undefined {
  if (!v) return undefined;
  const n = Number(v.value);
  if (!Number.isFinite(n) || !ok(n)) throw badValue(v.from, expected, v.value);
  return { value: n, from: v.from };
}

/**
 * An exhaustion threshold in percent. gptme-subscription writes them as fractions (0.85), so a
 * value up to 1 is read as a fraction: a threshold of 1 % would make every slot exhausted.
 */
function threshold(v: Sourced<string> | undefined): Sourced<number> | undefined {
  const n = number(v, "a percentage (85) or a fraction (0.85)", (x) => x >= 0 && x <= 200);
  return n && { value: n.value <= 1 ? Math.round(n.value * 100 * 1000) / 1000 : n.value, from: n.from };
}

function slotList(v: Sourced<string> | undefined): Sourced<string[]> | undefined {
  if (!v) return undefined;
  const names = v.value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) if (!SLOT_NAME.test(name)) throw new ConfigError(`${v.from}: ${badSlotNameText(name)}`);
  return { value: names, from: v.from };
}

function url(v: Sourced<string> | undefined): Sourced<string> | undefined {
  if (!v) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(v.value);
  } catch {
    throw badValue(v.from, "an http(s) URL", v.value);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw badValue(v.from, "an http(s) URL", v.value);
  return { value: v.value.replace(/\/+$/, ""), from: v.from };
}

export function readEnvSettings(env: Env, home: string): EnvSettings {
  const slot = own(env, "USAGETOP_SLOT");
  if (slot && !SLOT_NAME.test(slot.value)) throw new ConfigError(`${slot.from}: ${badSlotNameText(slot.value)}`);
  const credsDir = slotVar(env, "CREDS_DIR");
  const lockGlob = slotVar(env, "LOCK_GLOB");
  return {
    plan: own(env, "USAGETOP_PLAN"),
    slot,
    interval: number(own(env, "USAGETOP_INTERVAL"), "a positive number of seconds", (n) => n > 0),
    oauthBaseUrl: url(own(env, "USAGETOP_ANTHROPIC_BASE_URL")),
    slotNames: slotList(slotVar(env, "SLOTS")),
    fallbackOrder: slotList(slotVar(env, "FALLBACK_ORDER")),
    credsDir: credsDir && { value: expandHome(credsDir.value, home), from: credsDir.from },
    lockGlob: lockGlob && { value: expandHome(lockGlob.value, home), from: lockGlob.from },
    weeklyExhausted: threshold(slotVar(env, "WEEKLY_EXHAUSTED")),
    fiveHourExhausted: threshold(slotVar(env, "FIVE_HOUR_EXHAUSTED")),
    sonnetExhausted: threshold(slotVar(env, "SONNET_EXHAUSTED", "SONNET_WEEKLY_EXHAUSTED")),
    probeCooldown: number(slotVar(env, "PROBE_COOLDOWN"), "a number of seconds >= 0", (n) => n >= 0),
  };
}
