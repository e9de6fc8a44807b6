// The part of decide()'s input that comes from config and the switch log, whoever supplies the
// slots: `slots decide` (credentials files and the per-slot cache), the TUI's store, the demo.
import type { Config } from "../config/config.js";
import type { DecideInput } from "./decide.js";
import { lastSwitch } from "./switch-log.js";

/** What decide() takes from config and the switch log, whoever supplies the slots (the CLI, the TUI's store, the demo). */
export type DecidePolicy = Pick<DecideInput, "primary" | "fallbackOrder" | "thresholds" | "pacing" | "returnCooldownSeconds" | "lastSwitch">;

export function decidePolicy(config: Config, lastSwitch: DecideInput["lastSwitch"]): DecidePolicy {
  return {
    primary: config.slots.primary,
    fallbackOrder: config.slots.fallbackOrder,
    thresholds: { weekly: config.slots.weeklyExhausted, fiveHour: config.slots.fiveHourExhausted, sonnet: config.slots.sonnetExhausted },
    pacing: { paceTarget: config.pacing.target, band: config.pacing.band },
    returnCooldownSeconds: config.slots.returnCooldown,
    lastSwitch,
  };
}

/** The last switch from the state dir's log, as decide() takes it. */
export function lastSwitchInput(stateDir: string): DecideInput["lastSwitch"] {
  const last = lastSwitch(stateDir);
  return last ? { at: new Date(last.at), to: last.to, holdUntil: last.holdUntil ? new Date(last.holdUntil) : null } : null;
}
