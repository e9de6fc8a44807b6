// A live store for the long-running views (the TUI and `serve`): the demo scenario on a tick, or
// the readers through the scheduler; transcript cost data re-read in the background; local
// sources followed by file watchers; alerts run when the governing meter crosses a threshold.
// One implementation, so the TUI and the HTTP server always show the same thing.
import type { Config } from "../config/config.js";
import { loadDemoScenario } from "../readers/demo.js";
import { readTranscriptUsage } from "../readers/transcripts.js";
import { collectStore, demoStore, refreshDemo } from "./collect.js";
import type { UsageStore } from "./store.js";

export type Live = {
  store: UsageStore;
  /** A round now (`r`), still honouring active backoffs. */
  refresh: () => void;
  /** Re-read only the local sources, after a change event. */
  local: () => void;
  stop: () => void;
};

export type LiveOptions = {
  now: () => Date;
  warn: (message: string) => void;
  /** Demo store updates per second (default 1); ticks land on whole periods so they share a render with the clock. */
  demoUpdatesPerSecond?: number;
};

function startDemo(config: Config, o: LiveOptions): Live {
  const store = demoStore(config, o.now());
  // Parsed once: the tick may run ten times a second (bench) and must not re-read the file.
  const scenario = loadDemoScenario();
  const tick = () => refreshDemo(store, o.now(), scenario);
  // Scheduled on the next multiple of the period, not by setInterval, which drifts.
  const period = 1000 / (o.demoUpdatesPerSecond ?? 1);
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(() => {
      tick();
      schedule();
    }, period - (o.now().getTime() % period));
  };
  schedule();
  return { store, refresh: tick, local: tick, stop: () => clearTimeout(timer) };
}

async function startReaders(config: Config, o: LiveOptions): Promise<Live> {
  // Loaded here, not at the top: under --demo none of the real readers is needed.
  const [{ READERS }, { startPolling }] = await Promise.all([import("../readers/registry.js"), import("./scheduler.js")]);
  // No readers yet: the slots' auth states and the detected plan at once, so the first frame never
  // waits on the network; the scheduler's first round fills the meters in the background.
  const store = await collectStore(config, { now: o.now(), readers: [] });
  const polling = startPolling(store, {
    config,
    readers: READERS,
    slots: store.slots.map((s) => ({ name: s.name, active: s.active, credentialsPath: s.credentialsPath ?? "" })),
    now: o.now,
    onError: (err) => o.warn(`poll failed: ${err instanceof Error ? err.message : String(err)}`),
  });
  return { store, refresh: polling.refresh, local: polling.local, stop: polling.stop };
}

export function startLive(config: Config, o: LiveOptions): Promise<Live> {
  return config.demo ? Promise.resolve(startDemo(config, o)) : startReaders(config, o);
}

/** How often transcripts are re-read besides change events (incremental: only appended bytes). */
export const TRANSCRIPT_REFRESH_MS = 30_000;

/** Transcript cost data for the Models/Blocks/Sessions views and /runtime-usage: soon after start, then periodically. */
export function startTranscripts(config: Config, store: UsageStore, o: LiveOptions): { read: () => void; stop: () => void } {
  if (config.file.readers?.transcripts?.enabled === false) return { read: () => {}, stop: () => {} };
  const read = () => {
    try {
      const usage = readTranscriptUsage(config, o.now(), store.slots.find((s) => s.active)?.name);
      for (const w of usage.data.warnings) o.warn(w);
      store.setTranscripts(usage);
    } catch (err) {
      o.warn(`transcripts: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  // Not before the first paint: a cold read of a large transcript tree takes a moment. The demo's
  // transcripts never change, so they are read once.
  const first = setTimeout(read, 50);
  const timer = config.demo ? undefined : setInterval(read, TRANSCRIPT_REFRESH_MS);
  return {
    read,
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}

/**
 * Follows the local sources (codex rollouts, transcripts, status-line records, header dumps,
 * ~/.claude.json) so an appended line shows within a second, without waiting for the next poll.
 */
export async function followSources(config: Config, live: Live, transcripts: { read: () => void }): Promise<() => Promise<void>> {
  if (config.demo) return async () => {};
  const { watchSources } = await import("./watch.js");
  const w = watchSources(config, (kinds) => {
    live.local();
    if (kinds.has("transcripts")) transcripts.read();
  });
  // What changed between the first read and the watcher being ready would otherwise wait a poll.
  void w.ready.then(() => live.local());
  return w.close;
}

/** Runs alerts after store changes settle (a round ingests many entries at once). Off under --demo. */
export function followAlerts(
  config: Config,
  store: UsageStore,
  o: LiveOptions & { onBell?: () => void },
): () => void {
  if ((config.file.alerts?.thresholds ?? []).length === 0 || config.demo) return () => {};
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    try {
      const [{ governingObservations, runAlerts }, { allViews }] = await Promise.all([import("./alerts.js"), import("./all-views.js")]);
      const now = o.now();
      const out = await runAlerts({ config, observations: governingObservations(allViews(store, now)), now });
      for (const c of out.crossings) o.warn(`alert: ${c.slot ?? "-"} ${c.kind} at ${c.utilisation.toFixed(1)}% crossed ${c.threshold}%`);
      for (const e of out.errors) o.warn(e);
      if (out.bell) o.onBell?.();
    } catch (err) {
      o.warn(`alerts: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      running = false;
    }
  };
  const onChange = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void check(), 200);
  };
  store.on("change", onChange);
  return () => {
    store.off("change", onChange);
    if (timer) clearTimeout(timer);
  };
}
