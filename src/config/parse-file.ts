// config.toml text -> a validated ConfigFile, or a ConfigError whose message is one line naming
// the file, line and key (SPEC 6.1, 7.2). Pure: the caller reads the file.
import { parse, TomlError } from "smol-toml";
import { ConfigError } from "./config-error.js";
import { issueProblems, type Problem } from "./issue-text.js";
import { ConfigFileSchema, type ConfigFile } from "./schema.js";
import { findKeyLine } from "./toml-lines.js";
import { validateConfigFile } from "./validate.js";

/** A config file is a few kilobytes; anything this big is not one. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

function oneLine(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

/** What a TOML parser failure says, on one line, and where when smol-toml knows. */
export function describeTomlError(err: unknown): { line: number | null; column: number | null; what: string } {
  if (err instanceof TomlError) {
    return { line: err.line, column: err.column, what: oneLine(err.message.split("\n")[0]!.replace(/^Invalid TOML document:\s*/, "")) };
  }
  return { line: null, column: null, what: oneLine(err instanceof Error ? err.message : String(err)) };
}

/** Parses TOML, turning every failure (including a parser bug) into a located ConfigError. */
export function parseToml(text: string, file: string): Record<string, unknown> {
  if (text.length > MAX_CONFIG_BYTES) throw new ConfigError(`${file}: too large for a config file (over 1 MiB)`, file);
  try {
    return parse(text.startsWith("\uFEFF") ? text.slice(1) : text) as Record<string, unknown>;
  } catch (err) {
    const { line, column, what } = describeTomlError(err);
    if (line === null) throw new ConfigError(`${file}: invalid TOML: ${what}`, file);
    throw new ConfigError(`${file}:${line}: invalid TOML at column ${column}: ${what}`, file, line);
  }
}

/** The first problem by line (what a reader of the file meets first), with a count of the rest. */
export function problemError(problems: Problem[], text: string, file: string): ConfigError {
  const located = problems
    .map((p, order) => ({ ...p, order, line: findKeyLine(text, p.path) }))
    .sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || a.order - b.order);
  const first = located[0]!;
  const more = located.length > 1 ? ` (and ${located.length - 1} more)` : "";
  const where = first.line !== null ? `${file}:${first.line}` : file;
  return new ConfigError(`${where}: ${oneLine(first.text)}${more}`, file, first.line ?? undefined);
}

export function parseConfigText(text: string, file: string): ConfigFile {
  const data = parseToml(text, file);
  const result = ConfigFileSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.flatMap((issue) => issueProblems(issue, ConfigFileSchema, data));
    throw problemError(problems, text, file);
  }
  const problems = validateConfigFile(result.data);
  if (problems.length > 0) throw problemError(problems, text, file);
  return result.data;
}
