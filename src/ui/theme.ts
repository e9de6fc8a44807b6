// Colours by meaning (SPEC 6.3): threshold levels, reader states, cost tiers. Components never
// name a colour; they ask the theme for a tone. With colour off (NO_COLOR, --no-color) every tone
// is the empty style, so the output carries no escape codes at all and the information stays in
// characters: `|` pace marker, `~` estimated, `>` selected row, `[View]` active tab.
import chalk from "chalk";
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

/** The empty style; shared so memoised lines see the same object from frame to frame. */
export const NONE: TextStyle = Object.freeze({});

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

/** `bgCyan` for `cyan`: chalk's name for a background colour. */
function bgName(colour: string): string {
  return `bg${colour[0]!.toUpperCase()}${colour.slice(1)}`;
}

function colorize(text: string, colour: string, background: boolean): string {
  if (colour.startsWith("#")) return background ? chalk.bgHex(colour)(text) : chalk.hex(colour)(text);
  const name = background ? bgName(colour) : colour;
  const fn = (chalk as unknown as Record<string, unknown>)[name];
  return typeof fn === "function" ? (fn as (s: string) => string)(text) : text;
}

/**
 * `text` as Ink's <Text> with these props would draw it: the same chalk calls in the same order
 * (ink/build/components/Text.js), so a line built from painted pieces is byte-identical to the
 * nested <Text>s it replaces, at one React element and one Ink node per line instead of one per
 * piece (a frame is drawn every second: fewer nodes is less CPU). Empty text and empty styles
 * pass through, as Ink skips styling empty text.
 */
export function paint(text: string, style: TextStyle): string {
  if (text.length === 0 || style === NONE) return text;
  let s = text;
  if (style.dimColor) s = chalk.dim(s);
  if (style.color) s = colorize(s, style.color, false);
  if (style.backgroundColor) s = colorize(s, style.backgroundColor, true);
  if (style.bold) s = chalk.bold(s);
  if (style.inverse) s = chalk.inverse(s);
  return s;
}
