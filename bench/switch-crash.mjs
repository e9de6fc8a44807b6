#!/usr/bin/env node
// Figures for the slot switch (SPEC 5.3), on the built dist/: latency of one switch (locks, flip,
// fsync, log) and what SIGKILLs at random moments leave behind. Prints figures; asserts nothing
// beyond the invariants it reports. `node bench/switch-crash.mjs [switches=300] [kills=30]`.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../dist/config/load.js";
import { switchSlot } from "../dist/slots/switch.js";

const switches = Number(process.argv[2] ?? 300);
const kills = Number(process.argv[3] ?? 30);
const root = mkdtempSync(join(tmpdir(), "usagetop-bench-switch-"));
const home = join(root, "home");
const creds = join(home, ".claude");
mkdirSync(creds, { recursive: true });
const env = { HOME: home, CLAUDE_CONFIG_DIR: creds, XDG_STATE_HOME: join(home, ".local", "state"), XDG_CONFIG_HOME: join(home, ".config"), PATH: process.env.PATH };
const slots = ["a", "b", "c"];
const hash = (p) => createHash("sha256").update(readFileSync(p)).digest("hex");
const originals = {};
for (const s of slots) {
  const p = join(creds, `.credentials.json.${s}`);
  writeFileSync(p, JSON.stringify({ claudeAiOauth: { accessToken: `bench-access-${s}`, refreshToken: `bench-refresh-${s}`, expiresAt: Date.now() + 3600_000 } }), { mode: 0o600 });
  originals[s] = hash(p);
}
symlinkSync(".credentials.json.a", join(creds, ".credentials.json"));

// 1. Latency of uninterrupted switches in this process.
const config = loadConfig({}, env);
const times = [];
for (let i = 0; i < switches; i++) {
  const t = process.hrtime.bigint();
  const o = await switchSlot({ config, target: slots[(i + 1) % 3], by: "cli" });
  times.push(Number(process.hrtime.bigint() - t) / 1e6);
  if (o.status !== "switched") throw new Error(o.headline);
}
times.sort((x, y) => x - y);
const q = (f) => times[Math.min(times.length - 1, Math.floor(f * times.length))].toFixed(2);
console.log(`switch latency over ${switches} switches (ms): p50 ${q(0.5)}  p95 ${q(0.95)}  p99 ${q(0.99)}  max ${times.at(-1).toFixed(2)}`);

// 2. SIGKILL at random moments in a child's loop.
const child = join(import.meta.dirname, "..", "test", "switch-loop-child.mjs");
const f = { kills: 0, finished: 0, tempLinksLeft: 0, lockDirsLeft: 0, switchLockLeft: 0, violations: 0 };
for (let i = 0; i < kills; i++) {
  await new Promise((resolve) => {
    const p = spawn(process.execPath, [child, "500", slots.join(",")], { env, stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    p.stdout.on("data", (d) => {
      out += d;
      if (out.includes("go\n") && !p.timer) p.timer = setTimeout(() => p.kill("SIGKILL"), Math.random() * 200);
    });
    p.on("exit", (_code, signal) => {
      clearTimeout(p.timer);
      if (signal === "SIGKILL") f.kills++;
      else f.finished++;
      resolve();
    });
  });
  const live = join(creds, ".credentials.json");
  const ok = lstatSync(live).isSymbolicLink() && slots.map((s) => `.credentials.json.${s}`).includes(readlinkSync(live)) && slots.every((s) => hash(join(creds, `.credentials.json.${s}`)) === originals[s]);
  if (!ok) f.violations++;
  f.tempLinksLeft += readdirSync(creds).filter((n) => n.includes(".tmp-")).length;
  if (existsSync(join(env.XDG_STATE_HOME, "usagetop", "switch.lock"))) f.switchLockLeft++;
  for (const d of [join(creds, ".oauth_refresh.lock"), join(home, ".claude.lock")]) {
    if (existsSync(d)) {
      f.lockDirsLeft++;
      const old = new Date(Date.now() - 120_000);
      utimesSync(d, old, old);
    }
  }
}
console.log(`SIGKILL figures: ${JSON.stringify(f)}`);
rmSync(root, { recursive: true, force: true });
