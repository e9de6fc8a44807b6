// Meter, reader and snapshot types (SPEC 2.1, 2.4, 3.1). Plain types inside the program;
// the zod schemas in snapshot-schema.ts guard data that crosses a boundary (cache files, JSON).

export const READER_NAMES = [
  "oauth",
  "claude_cache",
  "statusline",
  "headers",
  "usage_screen",
  "usage_script",
  "codex",
  "transcripts",
  "ollama",
] as const;
export type ReaderName = (typeof READER_NAMES)[number];

export type MeterUnit = "percent" | "tokens" | "requests" | "usd" | "credits" | "bytes";

export type Meter = {
  kind: string;
  label: string;
  /** 0..100, may exceed 100 when a source says so; null = unknown (e.g. uncapped pool). */
  utilisation: number | null;
  resetsAt: Date | null;
  windowSeconds: number | null;
  used?: number;
  limit?: number;
  unit?: MeterUnit;
  /** ISO 4217 code for money pools. */
  currency?: string;
  source: ReaderName;
  /** When the source produced the value, not when we drew it. */
  observedAt: Date;
  estimated: boolean;
  /** Set by the rollover rule (SPEC 2.5): the reset passed and no new read arrived yet. */
  rolledOver?: boolean;
};

export type ReaderErrorKind = "auth" | "rate_limited" | "network" | "timeout" | "parse" | "unavailable";

export type ReaderError = {
  kind: ReaderErrorKind;
  message: string;
  retryAfterSeconds?: number;
  /** auth errors that mean "token lapsed" are stale, not broken (SPEC 3.2.1). */
  stale?: boolean;
};

export type ReadResult =
  | { ok: true; meters: Meter[]; warnings?: string[]; notes?: string[]; raw?: unknown }
  | { ok: false; error: ReaderError };

export type ReaderState = "ok" | "stale" | "error" | "disabled" | "backoff";

export type ReaderStatus = {
  name: ReaderName;
  slot: string | null;
  state: ReaderState;
  lastSuccessAt: Date | null;
  nextAttemptAt: Date | null;
  error?: string;
  warnings?: string[];
};

export type UsageSnapshot = {
  slot: string | null;
  plan: string;
  takenAt: Date;
  meters: Meter[];
  readers: ReaderStatus[];
};

export type HistorySample = { t: number; u: number };
