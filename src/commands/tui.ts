// `usagetop` with no command: the live TUI (SPEC 6.3). Builds the store (the demo scenario under
// --demo, else the readers through the scheduler), enters the alternate screen, renders <App>
// with Ink and waits; the terminal is restored on every way out (q, Ctrl-C, signals, errors).
// Ink and React are imported here and only here, lazily: other commands never load them.
import type { Config } from "../config/config.js";
import { resolveTiers } from "../model/tiers.js";
import { followAlerts, followSources, startLive, startTranscripts } from "../store/live.js";
import { enterAlternateScreen } from "../ui/alternate-screen.js";
import type { SwitchFn } from "../ui/hooks/use-controller.js";
import { decidePolicy, lastSwitchInput } from "../slots/decide-policy.js";
import type { CommandContext } from "./context.js";

/**
 * Demo store updates per second (default 1). A hidden knob for bench/tui-idle.mjs, which measures
 * CPU and dropped keys under a busy store: USAGETOP_DEMO_UPDATES_PER_SEC=10.
 */
export function demoUpdatesPerSecond(env: Record<string, string | undefined>): number {
  const n = Number(env.USAGETOP_DEMO_UPDATES_PER_SEC ?? "1");
  return Number.isFinite(n) && n > 0 ? Math.min(n, 100) : 1;
}

function switchFor(config: Config, ctx: CommandContext): SwitchFn {
  return async (target) => {
    // Loaded on first use: the switch module is only needed when the user confirms one.
    const { switchSlot } = await import("../slots/switch.js");
    const outcome = await switchSlot({ config, target, by: "tui", reason: "picked in the TUI", now: ctx.now });
    return { status: outcome.status, headline: outcome.headline, notes: outcome.notes, warnings: outcome.warnings };
  };
}

/**
 * Heap settings for a long-lived, mostly idle process (bench/tui-idle.mjs: idle RSS under 100 MB).
 * (Measured before the bundle's Output stand-in, src/ui/ink-output.ts, removed most of the per-frame
 * garbage; without these flags idle CPU and RSS are now the same within noise, busy is unmeasured.)
 * An Ink frame allocated ~4 MB of short-lived objects (an object per character and per cell), so
 * V8 soon grows the young generation to 2 x 16 MB and the old one in large steps: ~125 MB RSS.
 * Keeping the young generation at the size it has reached by now and growing the old one by 20 %
 * per full collection holds the TUI near 90 MB, for about 0.1 % of a core in extra collections.
 * Set at run time so that only the live view is affected: the start-up flag
 * `--max-semi-space-size` would mean re-executing node (~0.1 s, and a second ~45 MB process
 * waiting on the first). Only on the V8 versions these flags were measured on (Node 20 and 22):
 * another V8 would print a flag it does not know on stderr.
 */
async function keepHeapSmall(): Promise<void> {
  if (!/^1[12]\./.test(process.versions.v8)) return;
  const { setFlagsFromString } = await import("node:v8");
  setFlagsFromString("--semi-space-growth-factor=1");
  setFlagsFromString("--heap-growing-percent=20");
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
  await keepHeapSmall();
  const [{ render }, { appElement }] = await Promise.all([import("ink"), import("../ui/app.js")]);

  const liveOptions = {
    now: ctx.now,
    warn: (message: string) => live.store.warn(message, ctx.now()),
    demoUpdatesPerSecond: demoUpdatesPerSecond(ctx.env),
    onBell: () => ctx.stdout.write("\x07"),
  };
  const live = await startLive(config, liveOptions);
  const { store } = live;
  let stopTranscripts = () => {};
  let stopFollowing = async () => {};
  let stopAlerts = () => {};
  let screen: ReturnType<typeof enterAlternateScreen> | null = null;
  let failure: unknown = null;
  try {
    const policy = decidePolicy(config, config.demo ? null : lastSwitchInput(config.paths.stateDir));
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
    // On a signal or a crash, Ink's last frame goes out before the main screen comes back.
    screen.beforeRestore(() => app.unmount());
    // A resize can leave the terminal's old rows half-overwritten (tmux truncates, others reflow):
    // wipe the screen and make Ink forget its last frame, so the next render draws it whole.
    const onResize = () => {
      ctx.stdout.write("\x1b[2J\x1b[H");
      app.clear();
    };
    ctx.stdout.on("resize", onResize);
    const transcripts = startTranscripts(config, store, liveOptions);
    stopTranscripts = transcripts.stop;
    stopFollowing = await followSources(config, live, transcripts);
    stopAlerts = followAlerts(config, store, liveOptions);
    try {
      await app.waitUntilExit();
    } finally {
      ctx.stdout.off("resize", onResize);
      app.unmount();
    }
  } catch (err) {
    failure = err;
  } finally {
    stopAlerts();
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
