#!/usr/bin/env node
// Startup cost of the non-TUI path: median wall time of `usagetop --demo --once --json`
// beside bare `node -e 0` (the floor: nothing in Node starts faster). Target: within 2.5x.
// Usage: node bench/startup.mjs [runs=21] [--inherit-env]   (run `npm run build` first)
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const inherit = process.argv.includes("--inherit-env");
const runs = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 21);
// A clean environment for every run: variables such as NODE_OPTIONS or NODE_EXTRA_CA_CERTS (which
// loads a CA bundle, ~50 ms here) would add the same cost to both sides and hide the ratio.
// `--inherit-env` measures with this shell's environment instead, to compare.
const CLEAN_ENV = inherit
  ? { ...process.env, NO_COLOR: "1" }
  : { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", NO_COLOR: "1" };
const bin = fileURLToPath(new URL("../bin/usagetop.js", import.meta.url));

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(args) {
  const samples = [];
  for (let i = 0; i < runs + 2; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"], env: CLEAN_ENV });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    if (i >= 2) samples.push(ms); // two warm-up runs fill the page cache
  }
  return median(samples);
}

const cases = [
  ["node -e 0", ["-e", "0"]],
  ["usagetop --demo --once --json", [bin, "--demo", "--once", "--json"]],
  ["usagetop --demo --once", [bin, "--demo", "--once"]],
  ["usagetop --help", [bin, "--help"]],
];
const floor = time(cases[0][1]);
const { loadavg } = await import("node:os");
console.log(`startup, median of ${runs} runs, ${inherit ? "inherited" : "clean"} environment (node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(" ")})`);
for (const [name, args] of cases) {
  const ms = name === "node -e 0" ? floor : time(args);
  console.log(`${name.padEnd(34)} ${ms.toFixed(1).padStart(7)} ms  ${(ms / floor).toFixed(2)}x bare node`);
}
