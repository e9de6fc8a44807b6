// `usagetop wave` end to end: the built binary, real child processes, real signals, temp HOMEs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, tempHome } from "../run-cli.js";

const home = tempHome("usagetop-wave-e2e-");
afterAll(() => home.cleanup());
/**
 * The demo's meters climb with the clock; pinned 30 min into a 5 h window they read: alice
 * seven_day_opus 65.4 % (governing), bob seven_day 88.9 % (over the line), carol seven_day 24.8 % (stale auth).
 */
const PINNED = "2026-11-22T14:30:00.000Z";
const t = { home: home.home, env: { ...home.env, USAGETOP_NOW: PINNED } };

function configFile(name: string, text: string): string {
  const dir = join(t.home, "configs");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.toml`);
  writeFileSync(path, text);
  return path;
}

describe.concurrent("usagetop --demo wave", () => {
  it("prints the decision as JSON and exits 0 on go", async () => {
    const r = await runCli(["--demo", "wave", "--json"], t.env);
    expect(r.exitCode).toBe(0);
    const d = JSON.parse(String(r.stdout));
    expect(Object.keys(d).filter((k) => k !== "warning").sort()).toEqual(["action", "concurrency", "governing", "reason", "resumeAt", "targetSlot"]);
    expect(d).toEqual({
      action: "go",
      concurrency: 1,
      governing: { kind: "seven_day_opus", utilisation: 65.4 },
      resumeAt: null,
      targetSlot: null,
      reason: "seven_day_opus at 65.4% (below 80%): concurrency 1",
    });
  });

  it("prints one human line", async () => {
    const r = await runCli(["--demo", "wave"], t.env);
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout)).toBe("go: concurrency 1 · seven_day_opus at 65.4% (below 80%): concurrency 1");
    expect(String(r.stdout).trim().split("\n")).toHaveLength(1);
  });

  it("runs the command with USAGETOP_CONCURRENCY and USAGETOP_GOVERNING, and exits with its code", async () => {
    const r = await runCli(["--demo", "wave", "--", "sh", "-c", 'echo "$USAGETOP_CONCURRENCY"; echo "$USAGETOP_GOVERNING"; exit 7'], t.env);
    expect(r.exitCode).toBe(7);
    expect(String(r.stdout)).toBe("1\nseven_day_opus:65.4");
    // The gate speaks on stderr: stdout is the command's.
    expect(String(r.stderr)).toBe("usagetop: go: concurrency 1 · seven_day_opus at 65.4% (below 80%): concurrency 1");
  });

  it("reports a command killed by a signal as 128 + signal, and a missing command as 127", async () => {
    expect((await runCli(["--demo", "wave", "--", "sh", "-c", "kill -TERM $$"], t.env)).exitCode).toBe(143);
    const missing = await runCli(["--demo", "wave", "--", "usagetop-no-such-command-x"], t.env);
    expect(missing.exitCode).toBe(127);
    expect(String(missing.stderr)).toContain('cannot run "usagetop-no-such-command-x": command not found');
  });

  it("forwards SIGINT to the command and exits with the command's code", async () => {
    const marker = join(t.home, "sigint-marker");
    const script = `trap 'echo got-int > "${marker}"; exit 42' INT; echo ready; while :; do sleep 0.05; done`;
    const proc = runCli(["--demo", "wave", "--", "sh", "-c", script], t.env);
    await new Promise<void>((resolve) => {
      proc.stdout!.on("data", (chunk: Buffer) => {
        if (String(chunk).includes("ready")) resolve();
      });
    });
    proc.kill("SIGINT");
    const r = await proc;
    expect(readFileSync(marker, "utf8").trim()).toBe("got-int");
    expect(r.exitCode).toBe(42);
  });

  it("--loop repeats while the command exits 0, up to --max-waves", async () => {
    const log = join(t.home, "waves.log");
    const r = await runCli(["--demo", "wave", "--loop", "--max-waves", "3", "--", "sh", "-c", `echo "$USAGETOP_CONCURRENCY" >> "${log}"`], t.env);
    expect(r.exitCode).toBe(0);
    expect(readFileSync(log, "utf8").trim().split("\n")).toHaveLength(3);
    const counter = join(t.home, "count");
    const stop = await runCli(
      ["--demo", "wave", "--loop", "--", "sh", "-c", `n=$(cat "${counter}" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "${counter}"; [ $n -lt 2 ] || exit 5`],
      t.env,
    );
    expect(stop.exitCode).toBe(5);
    expect(readFileSync(counter, "utf8").trim()).toBe("2");
  });

  it("switches (in demo, without touching credentials) when the slot is over the line and [wave] switch = true", async () => {
    const lowest = configFile("switch", "[wave]\nswitch = true\n");
    const r = await runCli(["--demo", "--slot", "bob", "--config", lowest, "wave", "--json"], t.env);
    expect(r.exitCode).toBe(0);
    const d = JSON.parse(String(r.stdout));
    // Without a configured order the lowest healthy slot wins: carol (stale auth is fine to switch to).
    expect(d).toMatchObject({ action: "switch", targetSlot: "carol", concurrency: 3, governing: { kind: "seven_day", utilisation: 88.9 } });
    expect(d.reason).toBe("bob: seven_day at 88.9% ≥ pause line 80%; switching to carol (seven_day at 24.8%): concurrency 3; demo: no credentials were touched");
    const ordered = configFile("switch-ordered", '[wave]\nswitch = true\n\n[slots]\nfallback_order = ["alice", "carol"]\n');
    const run = await runCli(["--demo", "--slot", "bob", "--config", ordered, "wave", "--", "sh", "-c", 'echo "$USAGETOP_CONCURRENCY $USAGETOP_GOVERNING"'], t.env);
    expect(run.exitCode).toBe(0);
    expect(String(run.stdout)).toBe("1 seven_day_opus:65.4");
    expect(String(run.stderr)).toMatch(/^usagetop: switch to alice: concurrency 1 · /);
  });

  it("pauses with exit 75 until the reset + resume_delay when over the line and switching is off", async () => {
    const r = await runCli(["--demo", "--slot", "bob", "wave", "--json"], t.env);
    expect(r.exitCode).toBe(75);
    const d = JSON.parse(String(r.stdout));
    // bob's weeks (phase 100 h) reset at 2026-11-23T04:00Z; his Sonnet week (84.7 %) is over the line too, same reset.
    expect(d).toEqual({
      action: "pause",
      concurrency: 0,
      governing: { kind: "seven_day", utilisation: 88.9 },
      resumeAt: "2026-11-23T04:00:30.000Z",
      targetSlot: null,
      reason: "seven_day at 88.9% ≥ pause line 80%: resuming 30s after the reset, in 13h30m",
    });
  });
});

describe.concurrent("the plan decides which meters the gate reasons over", () => {
  it("--plan changes the governing meter on demo data", async () => {
    const max = JSON.parse(String((await runCli(["--demo", "--plan", "max", "wave", "--json"], t.env)).stdout));
    expect(max.governing).toEqual({ kind: "seven_day_opus", utilisation: 65.4 });
    // pro has no Opus week: the all-models week governs instead.
    const pro = JSON.parse(String((await runCli(["--demo", "--plan", "pro", "wave", "--json"], t.env)).stdout));
    expect(pro.governing).toEqual({ kind: "seven_day", utilisation: 25.4 });
    // api's meter set has none of the demo's meters: nothing governs, fail-closed.
    const api = await runCli(["--demo", "--plan", "api", "wave", "--json"], t.env);
    expect(api.exitCode).toBe(69);
    expect(JSON.parse(String(api.stdout))).toMatchObject({ action: "pause", governing: null });
    // A plan of Opus alone makes the Opus week govern where max's week did.
    const cfg = configFile("plans", '[plans.opus_only]\nmeters = ["seven_day_opus"]\n');
    const opus = JSON.parse(String((await runCli(["--demo", "--config", cfg, "--plan", "opus_only", "wave", "--json"], t.env)).stdout));
    expect(opus).toMatchObject({ action: "go", concurrency: 1, governing: { kind: "seven_day_opus", utilisation: 65.4 } });
  });
});

describe.concurrent("no usable data", () => {
  it("exits 69 with the reason when nothing is configured (on_unknown = pause)", async () => {
    const empty = tempHome("usagetop-wave-empty-");
    try {
      const r = await runCli(["wave", "--json"], empty.env);
      expect(r.exitCode).toBe(69);
      const d = JSON.parse(String(r.stdout));
      expect(d).toMatchObject({ action: "pause", concurrency: 0, governing: null, targetSlot: null });
      expect(d.reason).toMatch(/^no usable data .*on_unknown = "pause" \(fail-closed\)/);
      const waited = await runCli(["wave", "--wait"], empty.env);
      expect(waited.exitCode).toBe(69);
      expect(String(waited.stdout)).toContain("not waiting: no reader can produce data");
      const cmd = await runCli(["wave", "--", "sh", "-c", "echo ran"], empty.env);
      expect(cmd.exitCode).toBe(69);
      expect(String(cmd.stdout)).not.toContain("ran");
    } finally {
      empty.cleanup();
    }
  });

  it('goes with on_unknown = "run", and with --override or USAGETOP_WAVE_OVERRIDE=1', async () => {
    const empty = tempHome("usagetop-wave-run-");
    try {
      writeFileSync(join(empty.home, "run.toml"), '[wave]\non_unknown = "run"\n');
      const run = await runCli(["--config", join(empty.home, "run.toml"), "wave"], empty.env);
      expect(run.exitCode).toBe(0);
      expect(String(run.stdout)).toMatch(/^go: concurrency 1 · no usable data .*on_unknown = "run"/);
      const flag = await runCli(["wave", "--override", "--json"], empty.env);
      expect(flag.exitCode).toBe(0);
      expect(JSON.parse(String(flag.stdout))).toMatchObject({ action: "go", concurrency: 1, governing: null });
      expect(JSON.parse(String(flag.stdout)).reason).toMatch(/^override \(--override\): going at concurrency 1; the policy said pause: no usable data/);
      const env = await runCli(["wave", "--", "sh", "-c", 'echo "[$USAGETOP_CONCURRENCY][$USAGETOP_GOVERNING]"'], { ...empty.env, USAGETOP_WAVE_OVERRIDE: "1" });
      expect(env.exitCode).toBe(0);
      expect(String(env.stdout).trim()).toBe("[1][]");
      expect(String(env.stderr)).toContain("override (USAGETOP_WAVE_OVERRIDE=1)");
    } finally {
      empty.cleanup();
    }
  });
});

describe.concurrent("usage errors exit 1", () => {
  it.each([
    [["wave", "--loop"], "--loop needs a command after --"],
    [["wave", "--loop", "--max-waves", "0", "--", "true"], "--max-waves: expected a positive integer"],
    [["wave", "--max-waves", "2", "--", "true"], "--max-waves needs --loop"],
    [["wave", "now"], "wave takes no arguments"],
  ])("%j", async (args, message) => {
    const r = await runCli(["--demo", ...args], t.env);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toContain(message);
  });

  it("a bad USAGETOP_WAVE_OVERRIDE or [wave] table", async () => {
    const r = await runCli(["--demo", "wave"], { ...t.env, USAGETOP_WAVE_OVERRIDE: "maybe" });
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toContain("USAGETOP_WAVE_OVERRIDE: expected 1 or 0");
    const cfg = configFile("bad", "[wave]\nthresholds = [50, 65, 75, 80]\n");
    const bad = await runCli(["--demo", "--config", cfg, "wave"], t.env);
    expect(bad.exitCode).toBe(1);
    expect(String(bad.stderr)).toContain(`${cfg}:2: [wave] thresholds: needs one concurrency per threshold`);
  });
});

it("never leaves files outside the state dir under --demo", () => {
  expect(existsSync(join(t.home, ".claude"))).toBe(false);
});
