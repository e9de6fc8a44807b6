import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { flagProblem } from "./cli-flags.js";

const SPEC = { json: { type: "boolean" }, port: { type: "number" }, maxWaves: { type: "number" }, slot: { type: "string" } } as const;

describe("flagProblem", () => {
  it("accepts known flags with good values", async () => {
    expect(await flagProblem(SPEC, { json: true, port: 9469 }, ["json", "port"], ["--json", "--port", "9469"])).toBeNull();
    expect(await flagProblem(SPEC, { maxWaves: 2 }, ["max-waves"], ["--max-waves=2"])).toBeNull();
  });

  it("names an unknown flag and the one probably meant", async () => {
    expect(await flagProblem(SPEC, {}, ["jsn"], ["--jsn"])).toBe("usagetop: unknown flag --jsn (did you mean --json?)\nhint: usagetop --help lists every flag");
    expect(await flagProblem(SPEC, {}, ["frobnicate"], ["--frobnicate"])).toBe("usagetop: unknown flag --frobnicate\nhint: usagetop --help lists every flag");
    expect(await flagProblem(SPEC, {}, ["help", "version"], ["--help"])).toBeNull();
  });

  it("says what was typed for a number flag, in either spelling, and refuses one without a value", async () => {
    expect(await flagProblem(SPEC, { port: Number.NaN }, ["port"], ["serve", "--port", "abc"])).toBe('usagetop: --port: expected a number, got "abc"');
    expect(await flagProblem(SPEC, { maxWaves: Number.NaN }, ["max-waves"], ["--max-waves=two"])).toBe('usagetop: --max-waves: expected a number, got "two"');
    expect(await flagProblem(SPEC, { port: undefined }, ["port"], ["--port"])).toBe('usagetop: --port: expected a number, got ""');
  });

  it("property: whatever text follows --port, a problem quotes it exactly, and never says NaN", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 12 }).filter((t) => !t.startsWith("-")), async (text) => {
        const n = Number(text);
        const parsed = { port: text === "" ? undefined : n };
        const problem = await flagProblem(SPEC, parsed, ["port"], ["--port", text]);
        if (text !== "" && !Number.isNaN(n)) expect(problem).toBeNull();
        else expect(problem).toBe(`usagetop: --port: expected a number, got ${JSON.stringify(text)}`);
      }),
    );
  });
});
