#!/usr/bin/env node
// A process that switches slots in a loop through the built library (dist/), for the crash and
// race tests: `node test/switch-loop-child.mjs <count> <slot,slot,...> [--random] [--pause-ms N]
// [--wait-start]`. Its environment (HOME, CLAUDE_CONFIG_DIR, XDG_*) points at the test's sandbox.
// With --wait-start it loads everything, prints "ready" and waits for a line on stdin, so a test
// can start the next child while the current one runs. It prints "go" when the loop starts and a
// JSON summary when it ends (if it is not killed first).
import { setTimeout as sleep } from "node:timers/promises";
import { loadConfig } from "../dist/config/load.js";
import { switchSlot } from "../dist/slots/switch.js";

const [countArg, slotsArg, ...flags] = process.argv.slice(2);
const count = Number(countArg);
const slots = slotsArg.split(",");
const random = flags.includes("--random");
const pauseAt = flags.indexOf("--pause-ms");
const pauseMs = pauseAt >= 0 ? Number(flags[pauseAt + 1]) : 0;

const config = loadConfig({}, process.env);
if (flags.includes("--wait-start")) {
  process.stdout.write("ready\n");
  await new Promise((resolve) => process.stdin.once("data", resolve));
  process.stdin.pause();
}
const summary = { switched: 0, unchanged: 0, deferred: 0, refused: 0, errors: [] };
process.stdout.write("go\n");
for (let i = 0; i < count; i++) {
  const target = random ? slots[Math.floor(Math.random() * slots.length)] : slots[i % slots.length];
  try {
    const o = await switchSlot({ config, target, by: "cli", reason: `loop ${process.pid} #${i}`, lockWaitMs: 15_000 });
    summary[o.status === "switched" ? "switched" : o.status === "unchanged" ? "unchanged" : o.status === "deferred" ? "deferred" : "refused"]++;
    if (o.status === "refused" || o.status === "deferred") summary.errors.push(o.headline);
  } catch (err) {
    summary.errors.push(String(err && err.message));
  }
  if (pauseMs > 0) await sleep(Math.random() * pauseMs);
}
process.stdout.write(`${JSON.stringify(summary)}\n`);
