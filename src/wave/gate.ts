// The wave gate's moving parts (SPEC 4): read through the store, decide, act on a switch, wait
// for a pause to end, and run the wave's command. Everything with a clock or a process is passed
// in (GateDeps), so the loop is tested with a fake clock and the real CLI wires real ones.
import { constants } from "node:os";
import { execa } from "execa";
import type { UsageStore } from "../store/store.js";
import { formatDuration, formatResetClock } from "../ui/format.js";
import { dataMayArrive, waveInput } from "./input.js";
import { decideWave, governingEnv, type WaveDecision, type WavePolicy } from "./policy.js";
import { mayPoll, nextWake, type ProbeStreak } from "./resume.js";

export type SwitchResult = { ok: true; note: string | null } | { ok: false; why: string };

export type GateDeps = {
  policy: WavePolicy;
  /** Poll interval in seconds: the gate never reads more often than this. */
  intervalSeconds: number;
  preference: readonly string[];
  override: string | null;
  now: () => Date;
  /** Resolves true once `ms` passed, false when `signal` aborted first. */
  sleep: (ms: number, signal: AbortSignal) => Promise<boolean>;
  collect: (now: Date) => Promise<UsageStore>;
  /** Why `slot` cannot take work, or null. */
  fitness: (store: UsageStore, slot: string, now: Date) => string | null;
  switchTo: (target: string, reason: string) => Promise<SwitchResult>;
  probes: {
    load(slot: string | null, now: Date): ProbeStreak;
    save(slot: string | null, probe: ProbeStreak, now: Date): void;
  };
  /** Called about once a second while waiting (the TTY countdown); absent means silence. */
  onTick?: (decision: WaveDecision, now: Date) => void;
  signal: AbortSignal;
};

export type Verdict = {
  decision: WaveDecision;
  /** The slot the decision is about (the switch target once switched). */
  slot: string | null;
  noData: boolean;
  dataMayArrive: boolean;
};

const MAX_SLEEP_STEP_MS = 3600_000;

export type WaitOutcome = { kind: "go"; verdict: Verdict } | { kind: "no_data"; verdict: Verdict } | { kind: "aborted" };

export class WaveGate {
  private store: UsageStore | null = null;
  private lastPollAt: Date | null = null;
  /** Set once the gate switched slots: later reads decide for the new slot. */
  private switchedTo: string | null = null;
  /** How many reads went through `collect` (tests check the interval with it). */
  polls = 0;

  constructor(private readonly deps: GateDeps) {}

  /** Decides at the current time, reading first unless the last read is younger than the interval. */
  async evaluate(): Promise<Verdict> {
    const { deps } = this;
    const now = deps.now();
    if (this.store === null || this.lastPollAt === null || mayPoll(now, this.lastPollAt, deps.intervalSeconds)) {
      this.store = await deps.collect(now);
      this.lastPollAt = now;
      this.polls++;
      if (this.switchedTo !== null) this.store.selectSlot(this.switchedTo);
    }
    const store = this.store;
    const slot = store.selectedSlot;
    const { input, view } = waveInput(store, slot, deps.policy, now, {
      override: deps.override,
      probe: deps.probes.load(slot, now),
      minProbeSeconds: deps.intervalSeconds,
      preference: deps.preference,
      fitness: (name) => deps.fitness(store, name, now),
    });
    let decision = decideWave(input, deps.policy);
    deps.probes.save(slot, decision.probe, now);
    let decidedFor = slot;
    if (decision.action === "switch" && decision.targetSlot !== null) {
      const target = decision.targetSlot;
      const done = await deps.switchTo(target, decision.reason);
      if (done.ok) {
        this.switchedTo = target;
        store.selectSlot(target);
        decidedFor = target;
        if (done.note) decision = { ...decision, reason: `${decision.reason}; ${done.note}` };
      } else {
        decision = {
          ...decision,
          action: "pause",
          concurrency: 0,
          targetSlot: null,
          resumeAt: new Date(now.getTime() + deps.intervalSeconds * 1000),
          reason: `${decision.reason}; but the switch did not happen: ${done.why}`,
          pause: "switch_failed",
        };
        delete decision.targetGoverning;
        delete decision.warning;
      }
    }
    return { decision, slot: decidedFor, noData: input.governing === null, dataMayArrive: dataMayArrive(view) };
  }

  /** Sleeps until `at`, ticking the countdown once a second; false when aborted. */
  private async sleepUntil(at: Date, decision: WaveDecision): Promise<boolean> {
    const { deps } = this;
    for (;;) {
      if (deps.signal.aborted) return false;
      const now = deps.now();
      const left = at.getTime() - now.getTime();
      if (left <= 0) return true;
      deps.onTick?.(decision, now);
      // Timers may fire a hair early; the loop sleeps the remainder so a read is never early.
      // Steps stay far below setTimeout's 2^31 ms limit, past which a timer fires at once.
      const step = Math.min(left, deps.onTick ? 1000 : MAX_SLEEP_STEP_MS);
      if (!(await deps.sleep(step, deps.signal))) return false;
    }
  }

  /**
   * Waits until the policy says go (or switch, once switched). Gives up with `no_data` only when
   * no reader could ever produce data; a transient outage is waited out with the probe backoff.
   */
  async untilGo(): Promise<WaitOutcome> {
    const { deps } = this;
    let verdict = await this.evaluate();
    for (;;) {
      const d = verdict.decision;
      if (d.action !== "pause") return { kind: "go", verdict };
      if (verdict.noData && !verdict.dataMayArrive) return { kind: "no_data", verdict };
      const wakeAt = nextWake({
        resumeAt: d.resumeAt,
        lastPollAt: this.lastPollAt!,
        intervalSeconds: deps.intervalSeconds,
        probing: d.pause === "probe" || d.pause === "no_data",
      });
      if (!(await this.sleepUntil(wakeAt, d))) return { kind: "aborted" };
      verdict = await this.evaluate();
    }
  }
}

/** A sleep that an AbortSignal cuts short, for the real clock. */
export function realSleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The live countdown on a terminal's stderr: one line rewritten in place, cleared at the end. */
export function ttyCountdown(stream: NodeJS.WritableStream, timeZone?: string) {
  let shown = false;
  return {
    tick(d: WaveDecision, now: Date): void {
      const g = d.governing ? `${d.governing.kind} ${d.governing.utilisation.toFixed(1)}%` : "no data";
      const what = d.pause === "probe" || d.pause === "no_data" ? "probing again" : "resuming";
      const when = d.resumeAt
        ? `${what} in ${formatDuration((d.resumeAt.getTime() - now.getTime()) / 1000)} (${formatResetClock(d.resumeAt, now, timeZone)})`
        : "waiting";
      stream.write(`\r\x1b[2Kusagetop: wave paused (${g}): ${when} · Ctrl-C stops`);
      shown = true;
    },
    clear(): void {
      if (shown) stream.write("\r\x1b[2K");
      shown = false;
    },
  };
}

/** The wave's environment (SPEC 4): concurrency as an integer, governing as `<kind>:<u.u>`. */
export function waveEnv(d: WaveDecision): Record<string, string> {
  const governing = d.action === "switch" && d.targetGoverning !== undefined ? d.targetGoverning : d.governing;
  return { USAGETOP_CONCURRENCY: String(d.concurrency), USAGETOP_GOVERNING: governingEnv(governing) };
}

/** Exit status for a child killed by a signal: 128 + its number, as shells report it. */
export function signalExitCode(signal: string): number {
  const n = (constants.signals as Record<string, number | undefined>)[signal];
  return 128 + (n ?? 1);
}

export type RunningChild = { kill(signal: NodeJS.Signals): void; done: Promise<number> };

/**
 * Runs the wave's command without a shell, stdio inherited, and resolves to its exit code
 * (128 + signal when killed; 127 not found and 126 not executable, as shells say).
 */
export function runChild(command: readonly string[], env: Record<string, string | undefined>, onError: (message: string) => void): RunningChild {
  const [file, ...args] = command;
  const child = execa(file!, args, { stdio: "inherit", env, extendEnv: false, reject: false });
  const done = child.then((r) => {
    if (r.signal) return signalExitCode(r.signal);
    if (r.exitCode !== undefined) return r.exitCode;
    const code = (r as { code?: string }).code;
    const why = code === "ENOENT" ? "command not found" : code === "EACCES" ? "permission denied" : (r.originalMessage ?? r.message);
    onError(`cannot run ${JSON.stringify(file)}: ${why}`);
    return code === "ENOENT" ? 127 : 126;
  });
  return { kill: (signal) => void child.kill(signal), done };
}
