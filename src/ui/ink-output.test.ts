// The bundle swaps Ink's Output for ours (scripts/bundle.mjs); component tests run unbundled Ink,
// so this is what guards the substitute: the same random operations (plain, coloured, wide and
// emoji text, overlapping writes, clips, transformers) given to Ink's own class and to ours must
// give the same `get()`, string for string, frame after frame (our caches outlive a frame).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import Output, { GenerationCache, type Clip, type OutputTransformer } from "./ink-output.js";

type InkOutput = { write(x: number, y: number, text: string, o: { transformers: OutputTransformer[] }): void; clip(c: Clip): void; unclip(): void; get(): { output: string; height: number } };
// Ink's package exports only its index; the class is loaded from its file beside the index.
const inkOutputUrl = new URL("./output.js", import.meta.resolve("ink"));
const InkOutputClass = (await import(inkOutputUrl.href)).default as new (o: { width: number; height: number }) => InkOutput;

const SGR = [
  "\x1b[31m", "\x1b[32m", "\x1b[39m", "\x1b[1m", "\x1b[2m", "\x1b[22m", "\x1b[7m", "\x1b[27m", "\x1b[44m", "\x1b[49m",
  "\x1b[0m", "\x1b[1;31m", "\x1b[38;5;123m", "\x1b[48;2;1;2;3m", "\x1b[4m", "\x1b[24m", "\x1b[90m", "\x1b[m", "\x1b[;31m", "\x1b[38;5m", "\x1b[2;1m",
];
const LINK = ["\x1b]8;;https://example.com\x07", "\x1b]8;;\x07"];
const NARROW = [..."abcXYZ019 .:-|[]~>#·█░…—↑↓↻−€"];
const WIDE = ["漢", "字", "😀", "🇩🇪", "👨‍👩‍👧", "e\u0301", "❤️", "\t", "\u200b"];

const piece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NARROW) },
  { weight: 2, arbitrary: fc.constantFrom(...SGR) },
  { weight: 1, arbitrary: fc.constantFrom(...WIDE) },
  { weight: 1, arbitrary: fc.constantFrom(...LINK) },
);
const plainLine = fc.array(fc.constantFrom(...NARROW), { maxLength: 14 }).map((p) => p.join(""));
const anyLine = fc.array(piece, { maxLength: 14 }).map((p) => p.join(""));
const line = fc.oneof(plainLine, anyLine);
const text = fc.array(line, { minLength: 1, maxLength: 4 }).map((l) => l.join("\n"));

/** Transformers as Ink's <Transform> and <Text> styling apply them: by line, knowing the index. */
const TRANSFORMERS: Record<string, OutputTransformer> = {
  upper: (s) => s.toUpperCase(),
  green: (s) => `\x1b[32m${s}\x1b[39m`,
  bold: (s) => `\x1b[1m${s}\x1b[22m`,
  numbered: (s, i) => `${i}:${s}`,
  painted: (s) => `\x1b[36m${"·".repeat(Math.min(3, s.length))}\x1b[39m${s.slice(3)}`,
  wide: (s) => `漢${s}`,
};
const transformers = fc.array(fc.constantFrom(...Object.keys(TRANSFORMERS)), { maxLength: 2 });

const coordinate = fc.option(fc.integer({ min: -3, max: 30 }), { nil: undefined });
type Op = { type: "write"; x: number; y: number; text: string; transformers: string[] } | { type: "clip"; clip: Clip } | { type: "unclip" };
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ type: fc.constant("write" as const), x: fc.integer({ min: -3, max: 32 }), y: fc.integer({ min: -2, max: 9 }), text, transformers }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("clip" as const), clip: fc.record({ x1: coordinate, x2: coordinate, y1: coordinate, y2: coordinate }) }) },
  { weight: 1, arbitrary: fc.constant({ type: "unclip" as const }) },
);
const frame = fc.record({ width: fc.integer({ min: 0, max: 30 }), height: fc.integer({ min: 0, max: 8 }), ops: fc.array(op, { maxLength: 14 }) });
type Frame = { width: number; height: number; ops: Op[] };

function draw(output: InkOutput, f: Frame): { output: string; height: number } | { error: string } {
  for (const o of f.ops) {
    if (o.type === "write") output.write(o.x, o.y, o.text, { transformers: o.transformers.map((t) => TRANSFORMERS[t] as OutputTransformer) });
    else if (o.type === "clip") output.clip(o.clip);
    else output.unclip();
  }
  try {
    return output.get();
  } catch (err) {
    return { error: String(err) };
  }
}

const ink = (f: Frame) => draw(new InkOutputClass({ width: f.width, height: f.height }), f);
const ours = (f: Frame) => draw(new Output({ width: f.width, height: f.height }), f);

describe("Output (the bundle's stand-in for Ink's)", () => {
  it("gives Ink's get() for random writes, colours, wide characters, clips and transformers", () => {
    fc.assert(
      fc.property(frame, (f) => {
        expect(ours(f)).toEqual(ink(f));
      }),
      { numRuns: 3000 },
    );
  });

  it("stays equal over a run of frames that repeat and change rows (its caches outlive a frame)", () => {
    fc.assert(
      fc.property(fc.array(frame, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(5), { maxLength: 12 }), (frames, order) => {
        for (const i of [...order, 0]) {
          const f = frames[i % frames.length] as Frame;
          expect(ours(f)).toEqual(ink(f));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("draws a TUI-like frame as Ink does: full-width rows, painted lines, a wide cell, blank rows", () => {
    const f: Frame = {
      width: 40,
      height: 6,
      ops: [
        { type: "write", x: 0, y: 0, text: "usagetop · slot work · plan max", transformers: [] },
        { type: "write", x: 0, y: 1, text: "5h   ███████░░░░░░░  42%  ↻ 17:00", transformers: ["green"] },
        { type: "write", x: 30, y: 1, text: "+8 ahead", transformers: [] },
        { type: "write", x: 2, y: 3, text: "漢字 model\nsecond line", transformers: ["numbered"] },
        { type: "write", x: 0, y: 5, text: "?Help  pPlan  qQuit", transformers: ["bold"] },
      ],
    };
    const drawn = ours(f);
    expect(drawn).toEqual(ink(f));
    expect("output" in drawn && drawn.output.split("\n")).toHaveLength(6);
  });
});

describe("GenerationCache", () => {
  it("keeps what was used in the last generation, holds at most two generations, and forgets nothing it was just given", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.nat(20), { maxLength: 100 }), (limit, keys) => {
        const cache = new GenerationCache<number, string>(limit);
        for (const k of keys) {
          const hit = cache.get(k);
          if (hit !== undefined) expect(hit).toBe(`v${k}`);
          else cache.set(k, `v${k}`);
          expect(cache.get(k)).toBe(`v${k}`);
          expect(cache.size).toBeLessThanOrEqual(2 * limit);
        }
      }),
    );
  });
});
