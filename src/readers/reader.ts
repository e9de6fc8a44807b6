// The reader interface (SPEC 3.1). Readers do I/O and parsing only: they return meters or a
// typed error, never throw past this boundary, never log a token, and know nothing of views.
import type { Config } from "../config/config.js";
import type { ReaderName, ReadResult } from "../model/meter.js";

export type SlotRef = {
  name: string;
  /** The slot's credentials file (.credentials.json.<name>). */
  credentialsPath: string;
  /** True when the live .credentials.json points at this slot. */
  active: boolean;
};

export type ReadContext = {
  config: Config;
  /** The slot being read; null for readers that are not slot-specific (they serve the active slot). */
  slot: SlotRef | null;
  now: Date;
};

export type IntervalHint = { active: boolean; governingUtilisation: number | null };

export interface UsageReader {
  name: ReaderName;
  /** Per-slot readers (oauth, claude_cache) run once per slot; the others once, for the active slot. */
  perSlot: boolean;
  /**
   * Poll interval in seconds; 0 means "read on change / every time" (cheap local sources). `hint`
   * tells a per-slot reader about the slot being polled, so it can poll a slot near its limit faster.
   */
  intervalSeconds(config: Config, hint?: IntervalHint): number;
  enabled(config: Config): boolean;
  read(ctx: ReadContext, signal: AbortSignal): Promise<ReadResult>;
}
