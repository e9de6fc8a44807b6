// The headers reader (SPEC 3.2.3): rate-limit headers a harness saved to a file or a directory
// (`readers.headers.path`), newest files first, and the opt-in probe (headers-probe.ts), off by
// default since it spends quota. The TUI watches the path with `watchHeaders` (headers-watch.ts).
import { readdir, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, join } from "node:path";
import type { Config } from "../config/config.js";
import type { Meter, ReadResult } from "../model/meter.js";
import { PROBE_INTERVAL_SECONDS, probeEnabled, probeHeaders } from "./headers-probe.js";
import { parseHeaderCapture } from "./parse-headers.js";
import { readFileBounded } from "./read-bounded.js";
import type { ReadContext, UsageReader } from "./reader.js";

/** Per file: a stream-json log can grow without bound, so only its newest MiB is read. */
export const HEADERS_MAX_FILE_BYTES = 1024 * 1024;
/** A directory of dumps: the newest ones carry the current values. */
export const HEADERS_MAX_FILES = 20;

export function headersPath(config: Config): string | null {
  const p = config.file.readers?.headers?.path;
  if (!p) return null;
  return p.startsWith("~/") ? join(config.paths.home || homedir(), p.slice(2)) : p;
}

async function newestFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  const files: Array<{ path: string; mtime: number }> = [];
  for (const name of names) {
    if (name.startsWith(".")) continue; // editors' and our own temp files
    try {
      const st = await stat(join(dir, name));
      if (st.isFile()) files.push({ path: join(dir, name), mtime: st.mtimeMs });
    } catch {
      // vanished between readdir and stat
    }
  }
  return files
    .sort((a, b) => b.mtime - a.mtime)
    .slice(0, HEADERS_MAX_FILES)
    .map((f) => f.path);
}

export const headersReader: UsageReader = {
  name: "headers",
  perSlot: false,
  // Saved captures are read on change; with the probe on, the shared cache spaces out probes.
  intervalSeconds: (config: Config) => (probeEnabled(config) ? PROBE_INTERVAL_SECONDS : 0),
  enabled: (config: Config) => config.file.readers?.headers?.enabled !== false && (headersPath(config) !== null || probeEnabled(config)),
  async read(ctx: ReadContext, signal: AbortSignal): Promise<ReadResult> {
    const path = headersPath(ctx.config);
    const probe = probeEnabled(ctx.config) ? await probeHeaders(ctx.config, ctx.slot, ctx.now, signal) : null;
    if (path === null) return probe ?? { ok: false, error: { kind: "unavailable", message: "readers.headers.path is not set" } };
    const saved = await readSaved(path);
    if (!probe) return saved;
    // The probe is the newest capture: its windows win over saved ones of the same kind.
    if (!probe.ok) return saved.ok ? { ...saved, notes: [...(saved.notes ?? []), probe.error.message] } : probe;
    if (!saved.ok) return probe;
    const byKind = new Map([...saved.meters, ...probe.meters].map((m) => [m.kind, m]));
    return { ok: true, meters: [...byKind.values()], warnings: [...(saved.warnings ?? []), ...(probe.warnings ?? [])], notes: probe.notes ?? [] };
  },
};

async function readSaved(path: string): Promise<ReadResult> {
  let files: string[];
  try {
    const st = await stat(path);
    files = st.isDirectory() ? await newestFiles(path) : [path];
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    return { ok: false, error: { kind: "unavailable", message: `${path}: ${code === "ENOENT" ? "no such file or directory" : `cannot read (${code})`}` } };
  }
  const captures: Array<{ file: string; mtime: Date; parsed: ReturnType<typeof parseHeaderCapture> }> = [];
  const warnings: string[] = [];
  for (const file of files) {
    const read = await readFileBounded(file, HEADERS_MAX_FILE_BYTES, { tail: true });
    if (!read.ok) {
      warnings.push(read.message);
      continue;
    }
    captures.push({ file, mtime: read.mtime, parsed: parseHeaderCapture(read.text, read.mtime) });
  }
  // Oldest first, so the newest capture's value of each kind wins.
  captures.sort((a, b) => a.mtime.getTime() - b.mtime.getTime());
  const meters = new Map<string, Meter>();
  let notes: string[] = [];
  for (const { file, parsed } of captures) {
    for (const m of parsed.meters) meters.set(m.kind, m);
    if (parsed.meters.length > 0 || parsed.notes.length > 0) notes = parsed.notes;
    for (const w of parsed.warnings) warnings.push(`${basename(file)}: ${w}`);
  }
  if (meters.size === 0 && notes.length === 0) {
    return { ok: false, error: { kind: "unavailable", message: `${path}: no rate-limit headers found` } };
  }
  return { ok: true, meters: [...meters.values()], warnings: warnings.slice(0, 50), notes };
}
