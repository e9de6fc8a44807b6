// The store (SPEC 3.4): the only shared state. It owns the latest reader entries per slot, the
// meter history, the current plan and slot, and tells subscribed views when anything changed.
// Views never call readers; they read slot views from here.
import { EventEmitter } from "node:events";
import type { HistorySample } from "../model/meter.js";
import type { PacingOptions } from "../model/pacing.js";
import { type PlanTable } from "../model/plans.js";
import type { ReaderEntry } from "../model/reader-state.js";
import type { TranscriptUsage } from "../readers/transcripts.js";
import { buildSlotView, type SlotView } from "../model/view.js";

export type SlotInfo = {
  name: string;
  active: boolean;
  /** check-auth state: ok, stale, missing, malformed, unreadable, old, drift. */
  auth: string;
  plan?: string | null;
  email?: string | null;
  tokenExpiresAt?: Date | null;
  /** The slot's credentials file, for the readers (absent under --demo). */
  credentialsPath?: string;
  /** The newest conclusive probe failed: the refresh token is dead (SPEC 5.3 refuses such targets). */
  probeFailed?: boolean;
};

export type HistorySource = (slot: string, kind: string) => readonly HistorySample[];

export type StoreOptions = {
  plan: string;
  plans: PlanTable;
  pacing: PacingOptions;
  slots: SlotInfo[];
  selectedSlot: string | null;
  history?: HistorySource;
};

export class UsageStore extends EventEmitter {
  private entries = new Map<string, Map<string, ReaderEntry>>();
  plan: string;
  readonly plans: PlanTable;
  readonly pacing: PacingOptions;
  slots: SlotInfo[];
  selectedSlot: string | null;
  private history: HistorySource;
  /** Warnings for the log view (corrupt files moved aside, torn lines, ...). */
  readonly log: Array<{ at: Date; message: string }> = [];
  /** Transcript usage (cost, blocks, sessions) for the TUI's views; null until first read. */
  transcripts: TranscriptUsage | null = null;

  constructor(opts: StoreOptions) {
    super();
    this.plan = opts.plan;
    this.plans = opts.plans;
    this.pacing = opts.pacing;
    this.slots = opts.slots;
    this.selectedSlot = opts.selectedSlot;
    this.history = opts.history ?? (() => []);
  }

  /** Record what a reader produced (or failed to) for a slot. */
  ingest(entry: ReaderEntry): void {
    const key = entry.slot ?? "";
    let bySlot = this.entries.get(key);
    if (!bySlot) this.entries.set(key, (bySlot = new Map()));
    bySlot.set(entry.name, entry);
    this.emit("change");
  }

  entriesFor(slot: string | null): ReaderEntry[] {
    return [...(this.entries.get(slot ?? "")?.values() ?? [])];
  }

  setPlan(plan: string): void {
    if (plan === this.plan) return;
    this.plan = plan;
    this.emit("change");
  }

  selectSlot(slot: string | null): void {
    if (slot === this.selectedSlot) return;
    this.selectedSlot = slot;
    this.emit("change");
  }

  setSlots(slots: SlotInfo[]): void {
    this.slots = slots;
    this.emit("change");
  }

  setHistory(history: HistorySource): void {
    this.history = history;
  }

  setTranscripts(usage: TranscriptUsage | null): void {
    this.transcripts = usage;
    this.emit("change");
  }

  warn(message: string, at: Date): void {
    // The same problem met again by every reader, round after round, is one line, not a flood.
    if (this.log.slice(-20).some((l) => l.message === message)) return;
    this.log.push({ at, message });
    if (this.log.length > 200) this.log.shift();
    this.emit("change");
  }

  view(slot: string | null, now: Date): SlotView {
    return buildSlotView(slot, this.entriesFor(slot), now, {
      plan: this.plan,
      plans: this.plans,
      pacing: this.pacing,
      history: (kind) => (slot === null ? [] : this.history(slot, kind)),
    });
  }

  /** The view of the selected slot (the active one unless the user picked another). */
  current(now: Date): SlotView {
    return this.view(this.selectedSlot, now);
  }
}
