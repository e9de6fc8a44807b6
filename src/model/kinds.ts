// The kind registry (SPEC 2.2) as data: adding a kind is a row here, never a new code path.

export type Provider = "anthropic" | "openai" | "api" | "local";

export type KindInfo = {
  kind: string;
  label: string;
  windowSeconds: number | null;
  /** Money pools are drawn on after a window is exhausted: shown, never governing (SPEC 2.2). */
  pool: boolean;
  provider: Provider;
};

const HOUR = 3600;
const DAY = 24 * HOUR;
const MONTH = 30 * DAY;

export const KINDS: readonly KindInfo[] = [
  { kind: "five_hour", label: "5h session", windowSeconds: 5 * HOUR, pool: false, provider: "anthropic" },
  { kind: "seven_day", label: "Week (all models)", windowSeconds: 7 * DAY, pool: false, provider: "anthropic" },
  { kind: "seven_day_opus", label: "Week (Opus)", windowSeconds: 7 * DAY, pool: false, provider: "anthropic" },
  { kind: "seven_day_sonnet", label: "Week (Sonnet)", windowSeconds: 7 * DAY, pool: false, provider: "anthropic" },
  { kind: "seven_day_oauth_apps", label: "Week (OAuth apps)", windowSeconds: 7 * DAY, pool: false, provider: "anthropic" },
  { kind: "agent_sdk_credit", label: "Agent SDK credit", windowSeconds: MONTH, pool: true, provider: "anthropic" },
  { kind: "extra_usage", label: "Extra usage", windowSeconds: MONTH, pool: true, provider: "anthropic" },
  { kind: "spend", label: "Credits spend", windowSeconds: MONTH, pool: true, provider: "anthropic" },
  { kind: "api_budget", label: "API budget", windowSeconds: MONTH, pool: false, provider: "api" },
  { kind: "api_requests", label: "API requests/min", windowSeconds: 60, pool: false, provider: "api" },
  { kind: "api_tokens", label: "API tokens/min", windowSeconds: 60, pool: false, provider: "api" },
  { kind: "api_input_tokens", label: "API input tok/min", windowSeconds: 60, pool: false, provider: "api" },
  { kind: "api_output_tokens", label: "API output tok/min", windowSeconds: 60, pool: false, provider: "api" },
  { kind: "tokens_day", label: "Tokens today", windowSeconds: DAY, pool: false, provider: "api" },
  { kind: "codex_primary", label: "Codex 5h", windowSeconds: 5 * HOUR, pool: false, provider: "openai" },
  { kind: "codex_secondary", label: "Codex week", windowSeconds: 7 * DAY, pool: false, provider: "openai" },
  { kind: "local_vram", label: "Local VRAM", windowSeconds: null, pool: false, provider: "local" },
];

const BY_KIND = new Map(KINDS.map((k, i) => [k.kind, { info: k, order: i }]));

export function kindInfo(kind: string): KindInfo | undefined {
  return BY_KIND.get(kind)?.info;
}

/** Registry position; unknown kinds sort after every registry kind (SPEC 2.5 tie rule). */
export function registryOrder(kind: string): number {
  return BY_KIND.get(kind)?.order ?? KINDS.length;
}

export function isPool(kind: string): boolean {
  return BY_KIND.get(kind)?.info.pool ?? false;
}

/**
 * Label for a kind: the registry's, or one derived from the raw key so new windows
 * read well without a code change: "seven_day_cowork" -> "Week (cowork)",
 * "five_hour_foo" -> "5h (foo)", "iguana_necktie" -> "iguana necktie".
 */
export function labelFor(kind: string): string {
  const known = kindInfo(kind);
  if (known) return known.label;
  const prefixes: Array<[string, string]> = [
    ["seven_day_", "Week"],
    ["five_hour_", "5h"],
    ["unified_", "Unified"],
    ["codex_", "Codex"],
  ];
  for (const [prefix, head] of prefixes) {
    if (kind.startsWith(prefix) && kind.length > prefix.length) {
      return `${head} (${kind.slice(prefix.length).replace(/_/g, " ")})`;
    }
  }
  return kind.replace(/_/g, " ");
}

/** Window length of a registry kind; unknown kinds get null (SPEC 2.2: never guessed). */
export function windowFor(kind: string): number | null {
  return kindInfo(kind)?.windowSeconds ?? null;
}

/** Lowercase slug used to build kinds from display names ("Fable 5" -> "fable_5"). */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}
