// The switch log (SPEC 5.3.5): `<stateDir>/switches.jsonl`, one JSON line per switch. Each line
// is written by a single O_APPEND write(), so concurrent writers and a crash can never leave half
// a line between two whole ones.
import { closeSync, fstatSync, openSync, readSync, writeSync } from "node:fs";
import { join } from "node:path";
import * as z from "zod/mini";
import { ensureStateDir } from "../store/atomic-file.js";

export const SWITCH_LOG = "switches.jsonl";

export const SWITCH_ACTORS = ["cli", "tui", "decide", "wave"] as const;
export type SwitchActor = (typeof SWITCH_ACTORS)[number];

export const SwitchEntrySchema = z.object({
  at: z.string(),
  from: z.nullable(z.string()),
  to: z.string(),
  reason: z.string(),
  forced: z.boolean(),
  by: z.enum(SWITCH_ACTORS),
  /** Set by the decision engine: until when its choice should stand (SPEC 5.4). */
  holdUntil: z.optional(z.string()),
});
export type SwitchEntry = z.infer<typeof SwitchEntrySchema>;

export function switchLogPath(stateDir: string): string {
  return join(stateDir, SWITCH_LOG);
}

export function appendSwitch(stateDir: string, entry: SwitchEntry): void {
  ensureStateDir(stateDir);
  const line = Buffer.from(`${JSON.stringify(SwitchEntrySchema.parse(entry))}\n`, "utf8");
  const fd = openSync(switchLogPath(stateDir), "a", 0o600);
  try {
    const n = writeSync(fd, line);
    if (n !== line.length) throw new Error(`short write to ${SWITCH_LOG} (${n} of ${line.length} bytes)`);
  } finally {
    closeSync(fd);
  }
}

/** How much of the log's end is read: recent switches only; the file itself is never rewritten. */
const TAIL_BYTES = 256 * 1024;

/**
 * The newest `limit` entries, oldest first. Lines that are not valid entries (a torn tail from a
 * full disk, hand edits) are skipped and counted.
 */
export function readSwitches(stateDir: string, limit = 50): { entries: SwitchEntry[]; skipped: number } {
  let text: string;
  try {
    const fd = openSync(switchLogPath(stateDir), "r");
    try {
      const size = fstatSync(fd).size;
      const start = Math.max(0, size - TAIL_BYTES);
      const buf = Buffer.alloc(size - start);
      let off = 0;
      while (off < buf.length) {
        const n = readSync(fd, buf, off, buf.length - off, start + off);
        if (n === 0) break;
        off += n;
      }
      text = buf.subarray(0, off).toString("utf8");
      // A tail read starts mid-line: drop the partial first line.
      if (start > 0) text = text.slice(text.indexOf("\n") + 1);
    } finally {
      closeSync(fd);
    }
  } catch {
    return { entries: [], skipped: 0 };
  }
  const entries: SwitchEntry[] = [];
  let skipped = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const parsed = SwitchEntrySchema.safeParse(JSON.parse(line));
      if (parsed.success) entries.push(parsed.data);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { entries: entries.slice(-limit), skipped };
}

export function lastSwitch(stateDir: string): SwitchEntry | null {
  return readSwitches(stateDir, 1).entries[0] ?? null;
}
