// usage-screen reader (SPEC 3.2.4): Claude Code's own `/usage` screen, headless (`claude -p
// "/usage"`, costs no quota) or scraped from the interactive TUI through tmux. The result is also
// kept in the seed's ProviderUsageScrapeResult shape for `/provider-usage` (SPEC 6.4).
import { accessSync, constants, readdirSync } from "node:fs";
import { delimiter, join } from "node:path";
import type { Config } from "../config/config.js";
import type { Meter, ReaderError, ReadResult } from "../model/meter.js";
import { MAX_SCREEN_BYTES, parseUsageScreen, type UsageScreenParse } from "./parse-usage-screen.js";
import type { ReadContext, UsageReader } from "./reader.js";
import { capturePane, scrapeInPrivateSession, type TmuxFailure } from "./tmux.js";

export const DEFAULT_INTERVAL_SECONDS = 300;
const HEADLESS_TIMEOUT_MS = 30_000;

/** Seed gptme-subscription's scrape result, field names kept as the seed spells them. */
export type ProviderUsageScrapeResult = {
  provider: "anthropic";
  mode: "headless" | "tmux";
  fresh: boolean;
  freshness_ttl_seconds: number;
  scraped_at: string;
  error: string | null;
  /** The cleaned-up capture; only with --debug (it is the user's screen). */
  raw_text?: string;
  meters: Meter[];
  warnings: string[];
  missing: string[];
};

export type UsageScreenScrape = { result: ReadResult; scrape: ProviderUsageScrapeResult };

/** Knobs for tests; production uses the defaults. */
export type ScrapeTuning = { headlessTimeoutMs?: number; pollMs?: number; maxMs?: number };

type ScreenSettings = {
  mode: "headless" | "tmux";
  claudeBin: string;
  tmuxBin: string;
  tmuxTarget: string | null;
  tmuxSocket: string | null;
  interval: number;
};

function settings(config: Config): ScreenSettings {
  const section = config.file.readers?.usage_screen;
  return {
    mode: section?.mode ?? "headless",
    claudeBin: section?.claude_bin ?? "claude",
    tmuxBin: section?.tmux_bin ?? "tmux",
    tmuxTarget: section?.tmux_target ?? null,
    // A separate tmux server (`tmux -L`): lets tests, and users who want it, keep the scrape
    // session out of their own server's session list.
    tmuxSocket: config.env.USAGETOP_TMUX_SOCKET || null,
    interval: section?.interval ?? DEFAULT_INTERVAL_SECONDS,
  };
}

/** The executable `bin` names (a path, or a name looked up in PATH), or null. */
export function findExecutable(bin: string, pathVar: string | undefined): string | null {
  const candidates = bin.includes("/") ? [bin] : (pathVar ?? "").split(delimiter).filter(Boolean).map((d) => join(d, bin));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // Not there or not executable: try the next PATH entry.
    }
  }
  return null;
}

function errorKindFor(message: string): ReaderError["kind"] {
  const m = message.toLowerCase();
  if (m.includes("rate limit")) return "rate_limited";
  if (m.includes("setup-token") || m.includes("subscription plans")) return "auth";
  if (m.includes("isn't available") || m.includes("not found")) return "unavailable";
  if (m.includes("loading") || m.includes("time limit")) return "timeout";
  return "parse";
}

function finish(
  settingsUsed: ScreenSettings,
  config: Config,
  now: Date,
  text: string | null,
  failure: ReaderError | null,
  parsed: UsageScreenParse | null,
): UsageScreenScrape {
  const meters = parsed?.meters ?? [];
  const error = failure?.message ?? parsed?.error ?? null;
  const scrape: ProviderUsageScrapeResult = {
    provider: "anthropic",
    mode: settingsUsed.mode,
    fresh: error === null && meters.length > 0,
    freshness_ttl_seconds: settingsUsed.interval,
    scraped_at: now.toISOString(),
    error,
    meters,
    warnings: parsed?.warnings ?? [],
    missing: parsed?.missing ?? [],
  };
  if (config.debug && text !== null) scrape.raw_text = text;
  if (error !== null) {
    const readerError: ReaderError = failure ?? { kind: errorKindFor(error), message: `usage screen: ${error}` };
    return { result: { ok: false, error: readerError }, scrape };
  }
  const warnings = [...scrape.warnings];
  if (scrape.missing.length > 0) warnings.push(`usage screen: not shown for certain: ${scrape.missing.join(", ")}`);
  return { result: { ok: true, meters, warnings, raw: scrape }, scrape };
}

async function readHeadless(s: ScreenSettings, config: Config, signal: AbortSignal, tuning: ScrapeTuning): Promise<{ text: string } | ReaderError> {
  const bin = findExecutable(s.claudeBin, config.env.PATH);
  if (!bin) return { kind: "unavailable", message: `claude not found at ${s.claudeBin}` };
  const timeout = tuning.headlessTimeoutMs ?? HEADLESS_TIMEOUT_MS;
  // Loaded on use: execa is not needed by commands that never scrape (startup time).
  const { execa } = await import("execa");
  const run = await execa(bin, ["-p", "/usage"], {
    reject: false,
    stdin: "ignore",
    timeout,
    cancelSignal: signal,
    maxBuffer: MAX_SCREEN_BYTES * 4,
    env: config.env,
    extendEnv: false,
  });
  if ((run as { code?: string }).code === "ENOENT") return { kind: "unavailable", message: `claude not found at ${s.claudeBin}` };
  if (run.timedOut) return { kind: "timeout", message: `${s.claudeBin} -p /usage did not answer within ${timeout / 1000} s` };
  if (run.isCanceled) return { kind: "timeout", message: `${s.claudeBin} -p /usage was cancelled` };
  if ((run as { isMaxBuffer?: boolean }).isMaxBuffer) {
    return { kind: "parse", message: `${s.claudeBin} -p /usage printed more than ${MAX_SCREEN_BYTES / 1024} KiB: refused` };
  }
  const stdout = String(run.stdout ?? "");
  const stderr = String(run.stderr ?? "");
  const text = stdout.trim().length > 0 ? stdout : stderr;
  if (text.trim().length === 0) {
    return { kind: "unavailable", message: `${s.claudeBin} -p /usage printed nothing (exit code ${run.exitCode ?? "?"})` };
  }
  return { text };
}

async function readTmux(s: ScreenSettings, config: Config, now: Date, signal: AbortSignal, tuning: ScrapeTuning): Promise<{ text: string } | ReaderError> {
  const tmuxBin = findExecutable(s.tmuxBin, config.env.PATH);
  if (!tmuxBin) return { kind: "unavailable", message: `tmux not found at ${s.tmuxBin}` };
  const base = { tmuxBin, signal, env: config.env, ...(s.tmuxSocket ? { socketName: s.tmuxSocket } : {}) };
  const fromTmux = (f: TmuxFailure): ReaderError => ({ kind: f.kind === "failed" ? "unavailable" : f.kind, message: f.message });
  if (s.tmuxTarget) {
    // Someone else's Claude Code: look, never type.
    const cap = await capturePane(base, s.tmuxTarget);
    return cap.ok ? { text: cap.value } : fromTmux(cap);
  }
  const claude = findExecutable(s.claudeBin, config.env.PATH);
  if (!claude) return { kind: "unavailable", message: `claude not found at ${s.claudeBin}` };
  const scraped = await scrapeInPrivateSession({
    ...base,
    command: [claude],
    keys: [{ literal: "/usage" }, { key: "Enter" }],
    closeKeys: ["Escape"],
    isSettled: (capture) => {
      const p = parseUsageScreen(capture, now);
      // Settled: meters, or a final non-data state. Still loading, or still the prompt, is not.
      return !p.loading && (p.meters.length > 0 || (p.error !== undefined && !p.error.startsWith("no usage meters")));
    },
    ...(tuning.pollMs !== undefined ? { pollMs: tuning.pollMs } : {}),
    ...(tuning.maxMs !== undefined ? { maxMs: tuning.maxMs } : {}),
  });
  if (!scraped.ok) return fromTmux(scraped);
  if (!scraped.value.settled) {
    const p = parseUsageScreen(scraped.value.capture, now);
    if (p.meters.length === 0) {
      return { kind: "timeout", message: `the /usage screen did not settle before the time limit${p.error ? ` (${p.error})` : ""}` };
    }
  }
  return { text: scraped.value.capture };
}

let inFlight: Promise<UsageScreenScrape> | null = null;

/**
 * One scrape, as reader result and seed-shaped record. Only one scrape runs at a time in a
 * process (SPEC 3.3): a second caller shares the running one.
 */
export function scrapeUsageScreen(ctx: ReadContext, signal: AbortSignal, tuning: ScrapeTuning = {}): Promise<UsageScreenScrape> {
  if (inFlight) return inFlight;
  const run = (async () => {
    const s = settings(ctx.config);
    try {
      const got = s.mode === "tmux" ? await readTmux(s, ctx.config, ctx.now, signal, tuning) : await readHeadless(s, ctx.config, signal, tuning);
      if (!("text" in got)) return finish(s, ctx.config, ctx.now, null, got, null);
      return finish(s, ctx.config, ctx.now, got.text, null, parseUsageScreen(got.text, ctx.now));
    } catch (err) {
      // A reader never throws past its boundary.
      return finish(s, ctx.config, ctx.now, null, { kind: "unavailable", message: `usage screen: ${(err as Error).message}` }, null);
    }
  })();
  inFlight = run;
  void run.finally(() => {
    if (inFlight === run) inFlight = null;
  });
  return run;
}

export const usageScreenReader: UsageReader = {
  name: "usage_screen",
  perSlot: false,
  intervalSeconds: (config) => settings(config).interval,
  // Scraping starts Claude Code, which is slow; by default only when there is no credentials file
  // for the oauth reader (macOS Keychain logins, sandboxes), where /usage is the way to see quotas.
  enabled: (config) => config.file.readers?.usage_screen?.enabled ?? !hasCredentialsFile(config.paths.credsDir),
  async read(ctx, signal) {
    return (await scrapeUsageScreen(ctx, signal)).result;
  },
};

function hasCredentialsFile(dir: string): boolean {
  try {
    return readdirSync(dir).some((f) => f === ".credentials.json" || f.startsWith(".credentials.json."));
  } catch {
    return false;
  }
}
