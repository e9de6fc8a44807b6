// Checks a well-typed config file for values that are well-typed but wrong: an unknown plan, a
// time zone Intl does not know, slot names that can never match a credentials file (SPEC 5.1),
// fallbacks outside the configured slots, thresholds out of order.
import { SLOT_NAME } from "../slots/layout.js";
import { BUILTIN_PLANS, DEFAULTS } from "./defaults.js";
import type { Problem } from "./issue-text.js";
import type { ConfigFile } from "./schema.js";
import { isTimeZone } from "../model/zone-names.js";

export function isKnownPlan(plan: string, file: ConfigFile): boolean {
  return (BUILTIN_PLANS as readonly string[]).includes(plan) || Object.hasOwn(file.plans ?? {}, plan);
}

export function unknownPlanText(plan: string): string {
  return `unknown plan ${JSON.stringify(plan)} (built-in: ${BUILTIN_PLANS.join(", ")}; or define it in [plans.<name>])`;
}

export function badSlotNameText(name: string): string {
  return `${JSON.stringify(name)} is not a slot name (lowercase letters, digits, "_" and "-", up to 32, e.g. "alice")`;
}

export function validateConfigFile(file: ConfigFile): Problem[] {
  const problems: Problem[] = [];
  const plan = file.general?.plan;
  if (plan !== undefined && !isKnownPlan(plan, file)) {
    problems.push({ path: ["general", "plan"], text: `[general] plan: ${unknownPlanText(plan)}` });
  }
  const tz = file.general?.timezone;
  if (tz !== undefined && !isTimeZone(tz)) {
    problems.push({ path: ["general", "timezone"], text: `[general] timezone: unknown time zone ${JSON.stringify(tz)} (an IANA name such as "Europe/Helsinki")` });
  }
  const slot = file.general?.slot;
  if (slot !== undefined && !SLOT_NAME.test(slot)) {
    problems.push({ path: ["general", "slot"], text: `[general] slot: ${badSlotNameText(slot)}` });
  }
  const slots = file.slots;
  if (slots) {
    const lists: Array<["names" | "fallback_order", string[] | undefined]> = [
      ["names", slots.names],
      ["fallback_order", slots.fallback_order],
    ];
    for (const [key, list] of lists) {
      (list ?? []).forEach((name, i) => {
        if (!SLOT_NAME.test(name)) problems.push({ path: ["slots", key, i], text: `[slots] ${key}: ${badSlotNameText(name)}` });
      });
    }
    if (slots.primary !== undefined && !SLOT_NAME.test(slots.primary)) {
      problems.push({ path: ["slots", "primary"], text: `[slots] primary: ${badSlotNameText(slots.primary)}` });
    }
    // Without names every slot file found is a slot; with names, anything else is never read.
    if (slots.names) {
      const names = new Set(slots.names);
      if (slots.primary !== undefined && !names.has(slots.primary)) {
        problems.push({ path: ["slots", "primary"], text: `[slots] primary: ${JSON.stringify(slots.primary)} is not in [slots] names` });
      }
      (slots.fallback_order ?? []).forEach((name, i) => {
        if (!names.has(name)) problems.push({ path: ["slots", "fallback_order", i], text: `[slots] fallback_order: ${JSON.stringify(name)} is not in [slots] names` });
      });
    }
  }
  const thresholds = file.wave?.thresholds ?? [];
  for (let i = 1; i < thresholds.length; i++) {
    if (thresholds[i]! <= thresholds[i - 1]!) {
      problems.push({ path: ["wave", "thresholds", i], text: `[wave] thresholds: must rise, but ${thresholds[i]} follows ${thresholds[i - 1]}` });
      break;
    }
  }
  // concurrency[i] applies below thresholds[i] (src/wave/policy.ts): the lists pair up one to one.
  const wave = file.wave;
  if (wave && (wave.thresholds !== undefined || wave.concurrency !== undefined)) {
    const t = wave.thresholds ?? DEFAULTS.wave.thresholds;
    const c = wave.concurrency ?? DEFAULTS.wave.concurrency;
    if (t.length !== c.length) {
      const key = wave.concurrency !== undefined ? "concurrency" : "thresholds";
      const tWhat = `${t.length} ${wave.thresholds === undefined ? "default " : ""}thresholds`;
      const cWhat = `${c.length} ${wave.concurrency === undefined ? "default " : ""}concurrencies`;
      problems.push({ path: ["wave", key], text: `[wave] ${key}: needs one concurrency per threshold, got ${cWhat} for ${tWhat}` });
    }
  }
  (file.cost_tiers ?? []).forEach((tier, i) => {
    if (tier.price_range_min !== undefined && tier.price_range_max !== undefined && tier.price_range_min > tier.price_range_max) {
      problems.push({
        path: ["cost_tiers", i, "price_range_max"],
        text: `[[cost_tiers]] #${i + 1} price_range_max: ${tier.price_range_max} is below price_range_min ${tier.price_range_min}`,
      });
    }
  });
  return problems;
}

