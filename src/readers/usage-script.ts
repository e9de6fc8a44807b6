// The usage-script reader (SPEC 3.2.5): runs a gptme-subscription style script
// (`readers.usage_script.command`) as `<cmd> --json [--no-cache]`, without a shell, with a
// timeout and a cap on its output, and parses what it prints.
import type { Config } from "../config/config.js";
import type { ReadResult } from "../model/meter.js";
import { redactTokens } from "./credentials.js";
import { parseUsageScriptOutput, USAGE_SCRIPT_MAX_BYTES } from "./parse-usage-script.js";
import type { ReadContext, UsageReader } from "./reader.js";

export const USAGE_SCRIPT_TIMEOUT_MS = 30_000;

/** An argument list, or a string naming one executable (never split on spaces: no shell). */
export function usageScriptCommand(config: Config): string[] | null {
  const cmd = config.file.readers?.usage_script?.command;
  if (cmd === undefined) return null;
  return typeof cmd === "string" ? [cmd] : cmd;
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  return redactTokens(line.trim()).slice(0, 160);
}

export function createUsageScriptReader(options: { timeoutMs?: number } = {}): UsageReader {
  const timeoutMs = options.timeoutMs ?? USAGE_SCRIPT_TIMEOUT_MS;
  return {
    name: "usage_script",
    perSlot: false,
    intervalSeconds: (config: Config) => config.file.readers?.usage_script?.interval ?? config.interval,
    enabled: (config: Config) => config.file.readers?.usage_script?.enabled !== false && usageScriptCommand(config) !== null,
    async read(ctx: ReadContext, signal: AbortSignal): Promise<ReadResult> {
      const cmd = usageScriptCommand(ctx.config);
      if (cmd === null || cmd.length === 0 || cmd[0] === "") {
        return { ok: false, error: { kind: "unavailable", message: "readers.usage_script.command is not set" } };
      }
      const [file, ...args] = cmd as [string, ...string[]];
      // Loaded on use: commands that never run a script should not pay for execa at startup.
      const { execa } = await import("execa");
      const result = await execa(file, [...args, "--json", ...(ctx.config.noCache ? ["--no-cache"] : [])], {
        reject: false,
        shell: false,
        stdin: "ignore",
        timeout: timeoutMs,
        cancelSignal: signal,
        maxBuffer: USAGE_SCRIPT_MAX_BYTES,
        stripFinalNewline: true,
      });
      if (result.timedOut) return { ok: false, error: { kind: "timeout", message: `usage script ${file}: no answer within ${Math.round(timeoutMs / 1000)}s` } };
      if (result.isCanceled) return { ok: false, error: { kind: "network", message: `usage script ${file}: cancelled` } };
      if (result.isMaxBuffer) return { ok: false, error: { kind: "parse", message: `usage script ${file}: output over 1 MiB refused` } };
      if (result.code === "ENOENT") return { ok: false, error: { kind: "unavailable", message: `usage script not found: ${file}` } };
      if (result.code === "EACCES") return { ok: false, error: { kind: "unavailable", message: `usage script not executable: ${file}` } };
      if (result.failed) {
        const why = result.exitCode !== undefined ? `exited ${result.exitCode}` : `failed (${result.code ?? "error"})`;
        const detail = firstLine(typeof result.stderr === "string" ? result.stderr : "");
        return { ok: false, error: { kind: "unavailable", message: `usage script ${file} ${why}${detail ? `: ${detail}` : ""}` } };
      }
      const parsed = parseUsageScriptOutput(typeof result.stdout === "string" ? result.stdout : "", ctx.now);
      if (!parsed.ok) return { ok: false, error: { kind: "parse", message: `${file}: ${parsed.error.message}` } };
      return { ok: true, meters: parsed.meters, warnings: parsed.warnings, notes: parsed.notes };
    },
  };
}

export const usageScriptReader = createUsageScriptReader();
