import type { SlotView } from "../model/view.js";
import type { UsageStore } from "./store.js";

/** Every slot's view (one `null`-slot view when there are no slots): what alerts and /metrics cover. */
export function allViews(store: UsageStore, now: Date): SlotView[] {
  return store.slots.length > 0 ? store.slots.map((s) => store.view(s.name, now)) : [store.view(null, now)];
}
