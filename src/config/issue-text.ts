// Turns a zod issue on config.toml into words a user of the file understands:
// `[general] interval: expected a positive number, got "x"`, `unknown key "intervall" in
// [general] (did you mean "interval"?)`. What a key expects is read from the schema itself, so
// a field added to schema.ts is described without touching this file.
import type * as z from "zod/mini";
import "./zod-english.js";
import type { TomlPath } from "./toml-lines.js";
import { closestKey } from "./closest-word.js";

/** A problem found in a config file: where it is (for the line lookup) and what to say. */
export type Problem = { path: TomlPath; text: string };

// zod 4 keeps a schema's structure in `_zod.def`; only the parts read here are typed. A format
// schema (`z.url()`, `z.int()`) is a check too: its own def carries `check` and `format`.
type Def = CheckDef & {
  type: string;
  innerType?: Schema;
  shape?: Record<string, Schema>;
  valueType?: Schema;
  element?: Schema;
  options?: Schema[];
  entries?: Record<string, string>;
  checks?: Array<{ _zod: { def: CheckDef } }>;
};
type CheckDef = { check?: string; value?: number; inclusive?: boolean; minimum?: number; format?: string };
type Schema = { _zod: { def: Def } };

function defOf(schema: unknown): Def | null {
  const d = (schema as Schema | null)?._zod?.def;
  return d && typeof d.type === "string" ? d : null;
}

function unwrap(schema: unknown): Def | null {
  let d = defOf(schema);
  while (d && (d.type === "optional" || d.type === "nullable" || d.type === "default")) d = defOf(d.innerType);
  return d;
}

/** The schema node at a data path, or null when the path leaves the schema. */
export function schemaAt(schema: unknown, path: TomlPath): unknown {
  let node: unknown = schema;
  for (const seg of path) {
    const d = unwrap(node);
    if (!d) return null;
    if (d.type === "object" && typeof seg === "string") node = d.shape?.[seg];
    else if (d.type === "record") node = d.valueType;
    else if (d.type === "array" && typeof seg === "number") node = d.element;
    else return null;
    if (node === undefined) return null;
  }
  return node;
}

/** Keys a table at this path may hold (for "did you mean"). */
export function knownKeys(schema: unknown, path: TomlPath): string[] {
  const d = unwrap(schemaAt(schema, path));
  return d?.type === "object" && d.shape ? Object.keys(d.shape) : [];
}

function numberWords(d: Def, plural: boolean): string {
  let min: { value: number; inclusive: boolean } | null = null;
  let max: { value: number; inclusive: boolean } | null = null;
  let integer = d.check === "number_format";
  for (const c of d.checks ?? []) {
    const cd = c._zod.def;
    if (cd.check === "number_format") integer = true;
    if (cd.check === "greater_than" && cd.value !== undefined) min = { value: cd.value, inclusive: cd.inclusive ?? false };
    if (cd.check === "less_than" && cd.value !== undefined) max = { value: cd.value, inclusive: cd.inclusive ?? false };
  }
  const noun = integer ? (plural ? "integers" : "integer") : plural ? "numbers" : "number";
  const article = plural ? "" : integer ? "an " : "a ";
  if (min && max && min.value === 0 && !min.inclusive) return `${plural ? "" : "a "}positive ${noun} up to ${max.value}`;
  if (min && max) return `${article}${noun} from ${min.value} to ${max.value}`;
  if (min && min.value === 0) {
    const adj = min.inclusive ? "non-negative" : "positive";
    return `${plural ? "" : "a "}${adj} ${noun}`;
  }
  if (min) return `${article}${noun} ${min.inclusive ? ">=" : ">"} ${min.value}`;
  if (max) return `${article}${noun} ${max.inclusive ? "<=" : "<"} ${max.value}`;
  return `${article}${noun}`;
}

function minLength(d: Def): number {
  for (const c of d.checks ?? []) if (c._zod.def.check === "min_length") return c._zod.def.minimum ?? 0;
  return 0;
}

/** What a schema node expects, in words: "a positive number", "a list of strings", `one of "a", "b"`. */
export function expectation(schema: unknown, plural = false): string {
  const d = unwrap(schema);
  if (!d) return plural ? "values" : "a value";
  switch (d.type) {
    case "number":
      return numberWords(d, plural);
    case "string": {
      const isUrl = (cd: CheckDef) => cd.check === "string_format" && cd.format === "url";
      const url = isUrl(d) || (d.checks ?? []).some((c) => isUrl(c._zod.def));
      if (url) return plural ? "URLs" : "a URL";
      const nonEmpty = minLength(d) > 0 ? "non-empty " : "";
      return plural ? `${nonEmpty}strings` : `a ${nonEmpty}string`;
    }
    case "boolean":
      return plural ? "booleans" : "true or false";
    case "enum":
      return `one of ${Object.values(d.entries ?? {})
        .map((v) => JSON.stringify(v))
        .join(", ")}`;
    case "array": {
      const nonEmpty = minLength(d) > 0 ? "non-empty " : "";
      return `${plural ? "" : "a "}${nonEmpty}list${plural ? "s" : ""} of ${expectation(d.element, true)}`;
    }
    case "union":
      return (d.options ?? []).map((o) => expectation(o, plural)).join(" or ");
    case "object":
    case "record":
      return plural ? "tables" : "a table";
    default:
      return plural ? "values" : "a value";
  }
}

/** A short rendering of the value found, for "got ...". */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing (the key is required)";
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value instanceof Date) return "a date";
  if (Array.isArray(value)) {
    if (value.length === 0) return "an empty list";
    const shown = JSON.stringify(value);
    return shown !== undefined && shown.length <= 40 ? shown : `a list of ${value.length}`;
  }
  if (typeof value === "object") return "a table";
  return typeof value;
}

function isBare(key: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(key);
}

/** A key as it would be written in TOML: bare when it can be, else quoted. */
export function tomlKey(key: string): string {
  return isBare(key) ? key : JSON.stringify(key);
}

/** `[general]`, `[readers.oauth]`, `[prices."claude-x"]`, `[[cost_tiers]] #2`; null at top level. */
export function tableName(path: TomlPath): string | null {
  if (path.length === 0) return null;
  const keys: string[] = [];
  let element: number | null = null;
  for (const seg of path) {
    if (typeof seg === "number") element = seg;
    else keys.push(tomlKey(seg));
  }
  const dotted = keys.join(".");
  return typeof path[path.length - 1] === "number" ? `[[${dotted}]] #${(element ?? 0) + 1}` : `[${dotted}]`;
}

/** `[general] interval`, `[wave] thresholds (item 2)`, `[[cost_tiers]] #2 id`, or a top-level key. */
export function keyName(path: TomlPath): string {
  let k = path.length - 1;
  while (k >= 0 && typeof path[k] === "number") k--;
  if (k < 0) return "(top level)";
  const items = path.slice(k + 1).map((i) => Number(i) + 1);
  const table = tableName(path.slice(0, k));
  const item = items.length > 0 ? ` (item ${items.join(", ")})` : "";
  return `${table ? `${table} ` : ""}${tomlKey(String(path[k]))}${item}`;
}

function valueAt(data: unknown, path: TomlPath): unknown {
  let v: unknown = data;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function isTable(v: unknown): boolean {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date);
}

/** One problem per unknown key, else one per issue, each with the path to locate it by. */
export function issueProblems(issue: z.core.$ZodIssue, schema: unknown, data: unknown): Problem[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => {
      const full = [...path, key];
      const table = tableName(path);
      const known = knownKeys(schema, path);
      const guess = closestKey(key, known);
      if (isTable(valueAt(data, full))) {
        const name = tableName(full)!;
        const hint = guess ? ` (did you mean ${tableName([...path, guess])}?)` : "";
        return { path: full, text: `unknown section ${name}${hint}` };
      }
      const hint = guess ? ` (did you mean "${guess}"?)` : "";
      return { path: full, text: `unknown key ${JSON.stringify(key)} ${table ? `in ${table}` : "at top level"}${hint}` };
    });
  }
  const value = valueAt(data, path);
  const node = schemaAt(schema, path);
  const expected = node ? expectation(node) : issue.message.replace(/^Invalid input: /, "");
  return [{ path, text: `${keyName(path)}: expected ${expected}, got ${describeValue(value)}` }];
}
