// ollama reader (SPEC 3.2.8): asks the local Ollama server which models are loaded. A machine
// without Ollama is normal: nothing answering is `unavailable`, said once, quietly.
import type { Config } from "../config/config.js";
import type { ReadResult } from "../model/meter.js";
import { parseOllamaPs } from "./parse-ollama.js";
import type { UsageReader } from "./reader.js";
import { readCapped } from "./http-body.js";

export const DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434";
const TIMEOUT_MS = 2_000;

export function ollamaUrl(config: Config): string {
  return (config.file.readers?.ollama?.url ?? DEFAULT_OLLAMA_URL).replace(/\/+$/, "");
}

export async function readOllama(config: Config, now: Date, signal: AbortSignal, timeoutMs = TIMEOUT_MS): Promise<ReadResult> {
  const url = `${ollamaUrl(config)}/api/ps`;
  const budget = config.file.readers?.ollama?.vram_budget_bytes ?? null;
  let response: Response;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    response = await fetch(url, { signal: AbortSignal.any([signal, timeout]), headers: { accept: "application/json" } });
  } catch (err) {
    if (timeout.aborted) return { ok: false, error: { kind: "timeout", message: `${url} did not answer within ${timeoutMs / 1000} s` } };
    const code = (err as { cause?: { code?: string } }).cause?.code;
    return { ok: false, error: { kind: "unavailable", message: `nothing answers at ${url}${code ? ` (${code})` : ""}: Ollama not running` } };
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { ok: false, error: { kind: "network", message: `${url} answered HTTP ${response.status}` } };
  }
  let text: string;
  try {
    const body = await readCapped(response);
    if (body.kind === "too_large") {
      const size = body.bytes === null ? "body" : `body of ${body.bytes} bytes`;
      return { ok: false, error: { kind: "parse", message: `${url}: ${size} is over 1 MiB: refused` } };
    }
    text = body.bytes.toString("utf8");
  } catch (err) {
    return { ok: false, error: { kind: "parse", message: `${url}: ${(err as Error).message}` } };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: { kind: "parse", message: `${url}: body is not JSON` } };
  }
  const parsed = parseOllamaPs(json, budget, now);
  if ("error" in parsed) return { ok: false, error: { kind: "parse", message: `${url}: ${parsed.error}` } };
  const notes = parsed.models.map((m) => `${m.name}: ${m.sizeVram} bytes in VRAM`);
  return { ok: true, meters: parsed.meters, notes };
}

export const ollamaReader: UsageReader = {
  name: "ollama",
  perSlot: false,
  intervalSeconds: (config) => config.interval,
  // Off unless configured or the plan is local: an Ollama that is not installed is not an error.
  enabled: (config) => config.file.readers?.ollama?.enabled ?? (config.file.readers?.ollama !== undefined || config.plan === "local"),
  read: (ctx, signal) =>
    readOllama(ctx.config, ctx.now, signal).catch((err: unknown) => ({
      ok: false as const,
      error: { kind: "unavailable" as const, message: `ollama: ${(err as Error).message}` },
    })),
};
