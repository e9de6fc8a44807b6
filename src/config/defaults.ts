// Defaults for every setting the loader resolves, in one place so that `config init`'s example
// and the loader can never disagree about them (SPEC 3.3, 4, 5.4, 7.2).

/** Plans usagetop knows without any [plans] table (SPEC 2.3). */
export const BUILTIN_PLANS = ["pro", "max", "max_5x", "max_20x", "team", "enterprise", "api", "codex", "local"] as const;

export const DEFAULTS = {
  interval: 180,
  oauthBaseUrl: "https://api.anthropic.com",
  ollamaUrl: "http://127.0.0.1:11434",
  statuslineMaxAge: 600,
  usageScreenInterval: 300,
  usageScriptInterval: 300,
  slots: {
    weeklyExhausted: 85,
    fiveHourExhausted: 90,
    sonnetExhausted: 95,
    probeCooldown: 3600,
    returnCooldown: 1800,
  },
  pacing: { target: 1, band: 5 },
  wave: {
    thresholds: [50, 65, 80],
    concurrency: [3, 2, 1],
    warnAt: 75,
    pauseAt: 80,
    resumeDelay: 30,
    onUnknown: "pause",
  },
  serve: { port: 9469, host: "127.0.0.1" },
} as const;
