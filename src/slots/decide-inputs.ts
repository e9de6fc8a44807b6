// Gathers what decide() needs from disk: every slot's auth state (check-auth), its last known
// meters (the per-slot cache), the live slot, config thresholds and the last switch. The CLI's
// `slots decide` and the TUI's Slots view both start here.
import type { Config } from "../config/config.js";
import { checkSlots, type SlotsReport } from "./check-auth.js";
import type { DecideInput, DecideSlot } from "./decide.js";
import { readSlotMeters } from "./slot-meters.js";
import { decidePolicy, lastSwitchInput } from "./decide-policy.js";

export function decideInputs(config: Config, now: Date): { report: SlotsReport; input: DecideInput } {
  const report = checkSlots(config, now);
  const slots: DecideSlot[] = report.slots.map((c) => ({
    name: c.name,
    auth: c.state,
    probeFailed: c.probeFailed !== null,
    meters: readSlotMeters(config.paths.stateDir, c.name, now).meters,
  }));
  return {
    report,
    input: {
      ...decidePolicy(config, lastSwitchInput(config.paths.stateDir)),
      slots,
      active: report.live.state === "link" ? report.live.slot : (report.slots.find((s) => s.active)?.name ?? null),
      now,
    },
  };
}
