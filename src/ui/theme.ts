// Colours by meaning (SPEC 6.3): threshold levels, reader states, cost tiers. Components never
// name a colour; they ask the theme for a tone. With colour off (NO_COLOR, --no-color) every tone
// is the empty style, so the output carries no escape codes at all and the information stays in
// characters: `|` pace marker, `~` estimated, `>` selected row, `[View]` active tab.
import type { Level } from "./format.js";

/** The props Ink's <Text> understands, and nothing else. */
export type TextStyle = {
  color?: string;
  backgroundColor?: string;
  bold?: boolean;
  dimColor?: boolean;
  inverse?: boolean;
};

export type Tone =
  | Level
  | "dim"
  | "strong"
  | "accent"
  | "bad"
  | "selected"
  | "tab"
  | "key"
  | "keyLabel"
  | "heading";

const TONES: Record<Tone, TextStyle> = {
  ok: { color: "green" },
  warn: { color: "yellow" },
  crit: { color: "red" },
  none: {},
  dim: { dimColor: true },
  strong: { bold: true },
  accent: { color: "cyan" },
  bad: { color: "red", bold: true },
  selected: { inverse: true },
  tab: { bold: true, inverse: true },
  key: { bold: true },
  keyLabel: { color: "black", backgroundColor: "cyan" },
  heading: { bold: true },
};

/** Ink colour names a config tier may use; anything else is drawn uncoloured rather than guessed. */
const TIER_COLOURS = new Set([
  "black",
  "red",
  "green",
  "yellow",
  "blue",
  "magenta",
  "cyan",
  "white",
  "gray",
  "grey",
  "redBright",
  "greenBright",
  "yellowBright",
  "blueBright",
  "magentaBright",
  "cyanBright",
  "whiteBright",
]);

export type Theme = {
  color: boolean;
  tone(t: Tone): TextStyle;
  /** Green < 50, yellow < 80, red >= 80 (SPEC 6.3). */
  level(level: Level): TextStyle;
  /** A cost tier's configured colour (`#rrggbb` or a named colour). */
  tier(colour: string | null | undefined): TextStyle;
  readerState(state: string): TextStyle;
};

const NONE: TextStyle = Object.freeze({});

export function readerTone(state: string): Tone {
  return state === "ok" ? "ok" : state === "disabled" ? "dim" : state === "stale" ? "warn" : "crit";
}

export function makeTheme(color: boolean): Theme {
  if (!color) {
    return { color, tone: () => NONE, level: () => NONE, tier: () => NONE, readerState: () => NONE };
  }
  return {
    color,
    tone: (t) => TONES[t],
    level: (l) => TONES[l],
    tier: (c) => (c && (TIER_COLOURS.has(c) || /^#[0-9a-f]{6}$/i.test(c)) ? { color: c } : NONE),
    readerState: (s) => TONES[readerTone(s)],
  };
}
