// The demo scenario at a fixed instant, for the TUI's component and key tests: the same data
// `usagetop --demo` shows, so what the tests see is what a user sees.
import { loadConfig } from "../src/config/load.js";
import type { Config } from "../src/config/config.js";
import { demoStore } from "../src/store/collect.js";
import type { UsageStore } from "../src/store/store.js";

/** Sunday 2026-11-22 14:03:22 UTC: mid-window for every demo meter. */
export const FIXED_NOW = new Date("2026-11-22T14:03:22.000Z");

export function demoConfig(plan?: string): Config {
  return loadConfig({ demo: true, plan, color: false }, { HOME: "/nonexistent-usagetop-test-home" });
}

export function demoFixture(plan?: string): { store: UsageStore; config: Config; now: () => Date } {
  const config = demoConfig(plan);
  return { store: demoStore(config, FIXED_NOW), config, now: () => FIXED_NOW };
}

/** Polls until `check` passes (Ink renders asynchronously after input); throws its last error after `ms`. */
export async function eventually(check: () => void, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/** Lines of a frame, without escape codes. */
export function plainLines(frame: string | undefined): string[] {
  // eslint-disable-next-line no-control-regex
  return (frame ?? "").replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").split("\n");
}
