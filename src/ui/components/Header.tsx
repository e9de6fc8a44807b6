// The top line (SPEC 6.3): slot, plan, where the data comes from and how old it is, and the
// clock at the right edge. Red when every reader is down: never a silent 0 %.
import type { ReactElement } from "react";
import type { SlotView } from "../../model/view.js";
import type { SlotInfo } from "../../store/store.js";
import { formatDuration, pad, truncate } from "../format.js";
import { useTheme } from "../hooks/use-theme.js";
import type { Tone } from "../theme.js";
import { Line } from "./Line.js";

export type HeaderProps = { view: SlotView; slots: readonly SlotInfo[]; width: number; now: Date; timeZone?: string; demo?: boolean };

const clocks = new Map<string, Intl.DateTimeFormat>();

/** HH:MM:SS in the zone (one formatter per zone: the header draws it every second). */
export function formatClock(now: Date, timeZone?: string): string {
  const key = timeZone ?? "";
  let f = clocks.get(key);
  if (!f) clocks.set(key, (f = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone })));
  return f.format(now);
}

export function headerParts(view: SlotView, slots: readonly SlotInfo[], demo = false): { text: string; tone: Tone } {
  const info = slots.find((s) => s.name === view.slot);
  const live = slots.find((s) => s.active);
  const slot = view.slot === null ? "slot -" : `slot ${view.slot}${info && info.auth !== "ok" ? ` (${info.auth})` : ""}`;
  const liveNote = live && live.name !== view.slot ? ` · live ${live.name}` : "";
  const down = view.readers.length > 0 && view.readers.every((r) => r.state !== "ok" && r.state !== "stale");
  const freshest = view.meters.filter((m) => !m.estimated).sort((a, b) => a.ageSeconds - b.ageSeconds)[0];
  let source: string;
  let tone: Tone = "strong";
  if (down) {
    source = "all readers down";
    tone = "bad";
  } else if (freshest) {
    source = `${freshest.source} ${formatDuration(freshest.ageSeconds)} ago${freshest.stale ? " (stale)" : ""}`;
    if (freshest.stale) tone = "warn";
  } else if (view.meters.length > 0) {
    source = "estimates only";
    tone = "warn";
  } else {
    source = "no data";
    tone = "warn";
  }
  return { text: `usagetop${demo ? " demo" : ""} · ${slot}${liveNote} · plan ${view.plan} · ${source}`, tone };
}

export function Header({ view, slots, width, now, timeZone, demo }: HeaderProps): ReactElement {
  const theme = useTheme();
  const { text, tone } = headerParts(view, slots, demo);
  const clock = formatClock(now, timeZone);
  const room = width - clock.length - 1;
  const line = room >= 20 ? `${pad(text, room)} ${clock}` : truncate(text, width);
  return (
    <Line text={line} style={theme.tone(tone)} width={width} />
  );
}
