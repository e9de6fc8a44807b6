// A drop-in for Ink 6's `Output` (node_modules/ink/build/output.js), swapped in at bundle time by
// scripts/bundle.mjs. Ink builds a new Output for every frame: a width x height grid of one object
// per cell, and caches (widths, tokenized lines) that die with the frame. At one frame a second
// that churn was most of the TUI's idle CPU and of its garbage collection.
//
// This one gives the same `get()` result (proved against Ink's own class by ink-output.test.ts,
// a property test over random writes, colours, wide characters, clips and transformers), but:
// - a row's final string depends only on the frame width and the writes that reach it (position
//   and text after clipping and transformers), so it is cached under that key across frames: an
//   unchanged row costs a string key and a map lookup;
// - a row that misses is built alone, and a row of narrow plain characters (no escape codes, one
//   cell each) as an array of characters rather than through the tokenizer;
// - rows nothing writes to are empty strings, never built;
// - the caches live in the module, bounded (two generations: what the last frames used survives).
import sliceAnsi from "slice-ansi";
import stringWidth from "string-width";
import {
  ansiCodesToString,
  diffAnsiCodes,
  reduceAnsiCodesIncremental,
  tokenize,
  type AnsiCode,
  type StyledChar,
  type Token,
} from "@alcalzone/ansi-tokenize";

/** Ink's transformer type (render-node-to-output.js): applied to each output line after layout. */
export type OutputTransformer = (line: string, index: number) => string;

export type Clip = { x1: number | undefined; x2: number | undefined; y1: number | undefined; y2: number | undefined };

type Operation =
  | { type: "write"; x: number; y: number; text: string; transformers: OutputTransformer[] }
  | { type: "clip"; clip: Clip }
  | { type: "unclip" };

/**
 * A map bounded by generations: lookups find the current and the previous generation (moving a hit
 * forward); when the current one is full it becomes the previous one and the oldest is dropped.
 * What each frame uses stays; what no frame used for a while goes; at most 2 x `limit` entries.
 */
export class GenerationCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    const hit = this.young.get(key);
    if (hit !== undefined) return hit;
    const aged = this.old.get(key);
    if (aged !== undefined) this.set(key, aged);
    return aged;
  }

  set(key: K, value: V): void {
    if (this.young.size >= this.limit) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }
}

// Sizes: a 250x60 screen has 60 rows and Tab cycles five views, so 512 rows per generation keep
// every view's rows. Tokenized lines are only needed when a row misses (its text is new, most
// likely), and weigh an object per character: few are kept, so long runs do not grow RSS.
const widths = new GenerationCache<string, number>(4096);
const blockWidths = new GenerationCache<string, number>(256);
const styledLines = new GenerationCache<string, StyledChar[]>(128);
const rows = new GenerationCache<string, string>(512);

function widthOf(text: string): number {
  let w = widths.get(text);
  if (w === undefined) {
    w = stringWidth(text);
    widths.set(text, w);
  }
  return w;
}

function widestLine(text: string): number {
  let w = blockWidths.get(text);
  if (w === undefined) {
    w = 0;
    for (const line of text.split("\n")) w = Math.max(w, widthOf(line));
    blockWidths.set(text, w);
  }
  return w;
}

/**
 * Characters that are one grapheme and one cell wherever they stand, so a row made only of them
 * needs no tokenizer: printable ASCII and the glyphs the TUI draws (checked against Ink's own
 * tokenizer and string-width when this module loads; one that disagrees is left to the slow path).
 */
const NARROW_GLYPHS = [..."·█░…—–−↑↓↻│─€£"].filter((g) => {
  const tokens = tokenize(g);
  return stringWidth(g) === 1 && tokens.length === 1 && tokens[0]?.type === "char" && tokens[0].value === g && !tokens[0].fullWidth;
});
const NARROW = `\\x20-\\x7e${NARROW_GLYPHS.join("")}`;
const NARROW_PLAIN = new RegExp(`^[${NARROW}]*$`);
/** Narrow characters and SGR sequences (colours, bold...): what a painted TUI line is made of. */
const NARROW_STYLED = new RegExp(`^(?:[${NARROW}]|\\x1b\\[[0-9;]*m)*$`);
const sgrTokens = new GenerationCache<string, Token[]>(256);

/**
 * Ink's tokenize() for a line of narrow characters and SGR sequences, without its grapheme
 * segmenter: each character is its own token (none of them joins a neighbour), and each sequence
 * gives the tokens Ink's tokenizer gives for it alone (it reads a sequence up to its `m`).
 */
function tokenizeNarrow(line: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < line.length; ) {
    if (line.charCodeAt(i) === 0x1b) {
      const end = line.indexOf("m", i) + 1;
      const code = line.slice(i, end);
      let codeTokens = sgrTokens.get(code);
      if (codeTokens === undefined) {
        codeTokens = tokenize(code);
        sgrTokens.set(code, codeTokens);
      }
      for (const t of codeTokens) tokens.push(t);
      i = end;
    } else {
      tokens.push({ type: "char", value: line[i] as string, fullWidth: false });
      i++;
    }
  }
  return tokens;
}

/**
 * ansi-tokenize's styledCharsFromTokens, except that characters between two escape codes share
 * one styles array instead of a copy each (nothing changes a cell's styles after this), which
 * also lets styledCharsToString see at a glance that neighbours have the same style.
 */
function styledCharsFromTokens(tokens: Token[]): StyledChar[] {
  let codes: AnsiCode[] = [];
  let styles: AnsiCode[] | null = null;
  const chars: StyledChar[] = [];
  for (const token of tokens) {
    if (token.type === "ansi") {
      codes = reduceAnsiCodesIncremental(codes, [token]);
      styles = null;
    } else {
      styles ??= [...codes];
      chars.push({ ...token, styles });
    }
  }
  return chars;
}

function styledChars(line: string): StyledChar[] {
  let chars = styledLines.get(line);
  if (chars === undefined) {
    chars = styledCharsFromTokens(NARROW_STYLED.test(line) ? tokenizeNarrow(line) : tokenize(line));
    styledLines.set(line, chars);
  }
  return chars;
}

function sameCodes(a: AnsiCode[], b: AnsiCode[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]?.code !== b[i]?.code || a[i]?.endCode !== b[i]?.endCode) return false;
  }
  return true;
}

/**
 * ansi-tokenize's styledCharsToString, skipping the style diff between neighbours whose styles
 * are the same codes (the diff of a style with itself is empty): most neighbours, in a TUI line.
 */
function styledCharsToString(chars: StyledChar[]): string {
  let ret = "";
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as StyledChar;
    if (i === 0) ret += ansiCodesToString(char.styles);
    else {
      const before = (chars[i - 1] as StyledChar).styles;
      if (!sameCodes(before, char.styles)) ret += ansiCodesToString(diffAnsiCodes(before, char.styles));
    }
    ret += char.value;
    if (i === chars.length - 1) ret += ansiCodesToString(diffAnsiCodes(char.styles, []));
  }
  return ret;
}

/** A cell nobody wrote to. Shared: cells are only ever replaced, never changed. */
const BLANK: StyledChar = Object.freeze({ type: "char", value: " ", fullWidth: false, styles: Object.freeze([]) as unknown as StyledChar["styles"] }) as StyledChar;

/** Ink's algorithm for one row (output.js `get`), for rows with escape codes or wide characters. */
function styledRow(width: number, xs: number[], lines: string[]): string {
  const cells: StyledChar[] = [];
  for (let x = 0; x < width; x++) cells.push(BLANK);
  for (let i = 0; i < lines.length; i++) {
    let offsetX = xs[i] as number;
    for (const character of styledChars(lines[i] as string)) {
      cells[offsetX] = character;
      const characterWidth = Math.max(1, widthOf(character.value));
      // As Ink: the cells a wide character covers are emptied, keeping its style.
      for (let k = 1; k < characterWidth; k++) cells[offsetX + k] = { type: "char", value: "", fullWidth: false, styles: character.styles };
      offsetX += characterWidth;
    }
  }
  return styledCharsToString(cells.filter((c) => c !== undefined)).trimEnd();
}

/**
 * The same row when every character is narrow and unstyled: each is its own cell, and the row is
 * the cells joined. Array semantics match Ink's exactly (a write past the width leaves holes that
 * join as nothing, as Ink's filter drops them; a negative index is a property that join ignores).
 */
function plainRow(width: number, xs: number[], lines: string[]): string {
  const cells: string[] = [];
  for (let x = 0; x < width; x++) cells.push(" ");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const x = xs[i] as number;
    for (let k = 0; k < line.length; k++) cells[x + k] = line[k] as string;
  }
  return cells.join("").trimEnd();
}

function renderRow(width: number, xs: number[], lines: string[]): string {
  let key = `${width}`;
  for (let i = 0; i < lines.length; i++) key += `|${xs[i]},${(lines[i] as string).length},${lines[i]}`;
  let row = rows.get(key);
  if (row === undefined) {
    row = lines.every((l) => NARROW_PLAIN.test(l)) ? plainRow(width, xs, lines) : styledRow(width, xs, lines);
    rows.set(key, row);
  }
  return row;
}

export default class Output {
  width: number;
  height: number;
  private readonly operations: Operation[] = [];

  constructor(options: { width: number; height: number }) {
    this.width = options.width;
    this.height = options.height;
  }

  write(x: number, y: number, text: string, options: { transformers: OutputTransformer[] }): void {
    if (!text) return;
    this.operations.push({ type: "write", x, y, text, transformers: options.transformers });
  }

  clip(clip: Clip): void {
    this.operations.push({ type: "clip", clip });
  }

  unclip(): void {
    this.operations.push({ type: "unclip" });
  }

  get(): { output: string; height: number } {
    // Ink's rows: one per y from 0 while y < height (a fractional height rounds up).
    let rowCount = 0;
    while (rowCount < this.height) rowCount++;
    const rowXs: (number[] | undefined)[] = new Array(rowCount);
    const rowLines: (string[] | undefined)[] = new Array(rowCount);
    const clips: Clip[] = [];
    for (const operation of this.operations) {
      if (operation.type === "clip") clips.push(operation.clip);
      if (operation.type === "unclip") clips.pop();
      if (operation.type !== "write") continue;
      const { text, transformers } = operation;
      let { x, y } = operation;
      let lines = text.split("\n");
      const clip = clips.at(-1);
      if (clip) {
        const clipHorizontally = typeof clip.x1 === "number" && typeof clip.x2 === "number";
        const clipVertically = typeof clip.y1 === "number" && typeof clip.y2 === "number";
        const { x1 = 0, x2 = 0, y1 = 0, y2 = 0 } = clip;
        if (clipHorizontally && (x + widestLine(text) < x1 || x > x2)) continue;
        if (clipVertically && (y + lines.length < y1 || y > y2)) continue;
        if (clipHorizontally) {
          lines = lines.map((line) => {
            const from = x < x1 ? x1 - x : 0;
            const width = widthOf(line);
            const to = x + width > x2 ? x2 - x : width;
            return sliceAnsi(line, from, to);
          });
          if (x < x1) x = x1;
        }
        if (clipVertically) {
          const from = y < y1 ? y1 - y : 0;
          const height = lines.length;
          const to = y + height > y2 ? y2 - y : height;
          lines = lines.slice(from, to);
          if (y < y1) y = y1;
        }
      }
      // Ink skips a line whose row does not exist without moving down, so a write whose first
      // row is missing writes nothing, and one running off the bottom stops there.
      if (!(Number.isInteger(y) && y >= 0 && y < rowCount)) continue;
      for (let index = 0; index < lines.length && y + index < rowCount; index++) {
        let line = lines[index] as string;
        for (const transformer of transformers) line = transformer(line, index);
        const r = y + index;
        (rowXs[r] ??= []).push(x);
        (rowLines[r] ??= []).push(line);
      }
    }
    const out: string[] = new Array(rowCount);
    for (let r = 0; r < rowCount; r++) {
      const lines = rowLines[r];
      out[r] = lines ? renderRow(this.width, rowXs[r] as number[], lines) : "";
    }
    return { output: out.join("\n"), height: rowCount };
  }
}
