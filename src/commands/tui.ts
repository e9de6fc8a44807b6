// `usagetop` with no command: the live TUI (SPEC 6.3). Builds the store (the demo scenario under
// --demo, else the readers through the scheduler), enters the alternate screen, renders <App>
// with Ink and waits; the terminal is restored on every way out (q, Ctrl-C, signals, errors).
// Ink and React are imported here and only here, lazily: other commands never load them.
import type { Config } from "../config/config.js";
import { resolveTiers } from "../model/tiers.js";
import { loadDemoScenario } from "../readers/demo.js";
import { readTranscriptUsage } from "../readers/transcripts.js";
import { collectStore, demoStore, refreshDemo } from "../store/collect.js";
import type { UsageStore } from "../store/store.js";
import { enterAlternateScreen } from "../ui/alternate-screen.js";
import type { SwitchFn } from "../ui/hooks/use-controller.js";
import { decidePolicy } from "../ui/recommendation.js";
import type { CommandContext } from "./context.js";

/** How often transcripts are re-read for the cost views (incremental: only appended bytes). */
const TRANSCRIPT_REFRESH_MS = 30_000;

/**
 * Demo store updates per second (default 1). A hidden knob for bench/tui-idle.mjs, which measures
 * CPU and dropped keys under a busy store: USAGETOP_DEMO_UPDATES_PER_SEC=10.
 */
export function demoUpdatesPerSecond(env: Record<string, string | undefined>): number {
  const n = Number(env.USAGETOP_DEMO_UPDATES_PER_SEC ?? "1");
  return Number.isFinite(n) && n > 0 ? Math.min(n, 100) : 1;
}

type Live = { store: UsageStore; refresh: () => Promise<void> | void; local?: () => void; stop: () => void };

function startDemo(config: Config, ctx: CommandContext): Live {
  const store = demoStore(config, ctx.now());
  // Parsed once: the tick may run ten times a second (bench) and must not re-read the file.
  const scenario = loadDemoScenario();
  const tick = () => refreshDemo(store, ctx.now(), scenario);
  // Each tick is scheduled on the next multiple of the period (whole seconds at the default rate),
  // not by setInterval, which drifts: the 1 s clock tick then finds the frame already drawn and
  // the two share one render.
  const period = 1000 / demoUpdatesPerSecond(ctx.env);
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(() => {
      tick();
      schedule();
    }, period - (ctx.now().getTime() % period));
  };
  schedule();
  return { store, refresh: async () => tick(), stop: () => clearTimeout(timer) };
}

async function startReaders(config: Config, ctx: CommandContext): Promise<Live> {
  // An empty store at once (no reader runs here), so the screen never waits on the network;
  // the scheduler's first round fills it in the background.
  // Loaded here, not at the top: under --demo none of the real readers is needed.
  const [{ READERS }, { startPolling }, { discoverSlots }] = await Promise.all([
    import("../readers/registry.js"),
    import("../store/scheduler.js"),
    import("../slots/layout.js"),
  ]);
  // collectStore with no readers gives the slots' auth states and the detected plan at once.
  const store = await collectStore(config, { now: ctx.now(), readers: [] });
  const polling = startPolling(store, {
    config,
    readers: READERS,
    slots: discoverSlots(config),
    now: ctx.now,
    onError: (err) => store.warn(`poll failed: ${err instanceof Error ? err.message : String(err)}`, ctx.now()),
  });
  return { store, refresh: polling.refresh, local: polling.local, stop: polling.stop };
}

/** Transcript cost data for the Models/Blocks/Sessions views, read after the first frame and then periodically. */
function startTranscripts(config: Config, ctx: CommandContext, store: UsageStore): { read: () => void; stop: () => void } {
  const read = () => {
    try {
      const usage = readTranscriptUsage(config, ctx.now(), store.slots.find((s) => s.active)?.name);
      for (const w of usage.data.warnings) store.warn(w, ctx.now());
      store.setTranscripts(usage);
    } catch (err) {
      store.warn(`transcripts: ${err instanceof Error ? err.message : String(err)}`, ctx.now());
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
async function followSources(config: Config, live: Live, transcripts: { read: () => void }): Promise<() => Promise<void>> {
  const { watchSources } = await import("../store/watch.js");
  const w = watchSources(config, (kinds) => {
    live.local?.();
    if (kinds.has("transcripts")) transcripts.read();
  });
  // What changed between the first read and the watcher being ready would otherwise wait a poll.
  void w.ready.then(() => live.local?.());
  return w.close;
}

function switchFor(config: Config, ctx: CommandContext): SwitchFn {
  return async (target) => {
    // Loaded on first use: the switch module is only needed when the user confirms one.
    const { switchSlot } = await import("../slots/switch.js");
    const outcome = await switchSlot({ config, target, by: "tui", reason: "picked in the TUI", now: ctx.now });
    return { status: outcome.status, headline: outcome.headline, notes: outcome.notes, warnings: outcome.warnings };
  };
}

export default async function run(ctx: CommandContext): Promise<number> {
  const config = ctx.config();
  if (!ctx.stdout.isTTY || !ctx.stdin.isTTY) {
    ctx.stderr.write("usagetop: the live view needs a terminal\nhint: usagetop --once prints one frame (add --json for scripts)\n");
    return 1;
  }
  // Ink renders nothing until exit when it believes it runs under CI (any CI or CI_* variable);
  // we are on a real terminal, so say so before Ink is loaded.
  if (process.env.CI !== undefined || Object.keys(process.env).some((k) => k.startsWith("CI_") || k === "CONTINUOUS_INTEGRATION")) {
    process.env.CI = "false";
  }
  // React's development build costs several times the CPU and memory of the production one.
  process.env.NODE_ENV ??= "production";
  const [{ render }, { appElement }] = await Promise.all([import("ink"), import("../ui/app.js")]);

  const live = config.demo ? startDemo(config, ctx) : await startReaders(config, ctx);
  const { store } = live;
  let stopTranscripts = () => {};
  let stopFollowing = async () => {};
  let screen: ReturnType<typeof enterAlternateScreen> | null = null;
  let failure: unknown = null;
  try {
    const last = config.demo ? null : (await import("../slots/switch-log.js")).lastSwitch(config.paths.stateDir);
    const policy = decidePolicy(
      config,
      last ? { at: new Date(last.at), to: last.to, holdUntil: last.holdUntil ? new Date(last.holdUntil) : null } : null,
    );
    screen = enterAlternateScreen(ctx.stdout, ctx.stdin, { stderr: ctx.stderr });
    const app = render(
      appElement({
        store,
        color: config.color,
        now: ctx.now,
        timeZone: config.timezone ?? undefined,
        demo: config.demo,
        refresh: live.refresh,
        switchSlot: config.demo ? undefined : switchFor(config, ctx),
        tiers: resolveTiers(config.file.cost_tiers),
        policy,
      }),
      { stdout: ctx.stdout, stdin: ctx.stdin, stderr: ctx.stderr, exitOnCtrlC: false, patchConsole: true, incrementalRendering: false },
    );
    // A resize can leave the terminal's old rows half-overwritten (tmux truncates, others reflow):
    // wipe the screen and make Ink forget its last frame, so the next render draws it whole.
    const onResize = () => {
      ctx.stdout.write("\x1b[2J\x1b[H");
      app.clear();
    };
    ctx.stdout.on("resize", onResize);
    const transcripts = startTranscripts(config, ctx, store);
    stopTranscripts = transcripts.stop;
    if (!config.demo) stopFollowing = await followSources(config, live, transcripts);
    try {
      await app.waitUntilExit();
    } finally {
      ctx.stdout.off("resize", onResize);
      app.unmount();
    }
  } catch (err) {
    failure = err;
  } finally {
    stopTranscripts();
    await stopFollowing();
    live.stop();
    screen?.restore();
    screen?.dispose();
  }
  if (failure !== null) {
    const message = failure instanceof Error ? failure.message : String(failure);
    ctx.stderr.write(`usagetop: ${message}\n`);
    if (config.debug && failure instanceof Error && failure.stack) ctx.stderr.write(`${failure.stack}\n`);
    return 1;
  }
  return 0;
}
