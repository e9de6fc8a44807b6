// The terminal contract of the live TUI (SPEC 6.3): enter the alternate screen with the cursor
// hidden, and ALWAYS leave it as found (main screen, cursor shown, raw mode off), whether the
// user quits, presses Ctrl-C, the process gets SIGTERM/SIGINT/SIGHUP, or something throws.
export const ENTER = "\x1b[?1049h\x1b[2J\x1b[H\x1b[?25l";
export const LEAVE = "\x1b[?25h\x1b[?1049l";

type Out = { write(chunk: string): unknown; isTTY?: boolean };
type In = { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };

export type Screen = {
  /** Idempotent: the first call restores, later calls do nothing. */
  restore(): void;
  /**
   * Runs `fn` first when restoring (Ink's unmount): its last frame must land on the alternate
   * screen. Left to Ink's own exit hook, which runs after ours on a signal, that frame was drawn
   * on the main screen after it had been put back.
   */
  beforeRestore(fn: () => void): void;
  /** Removes the process handlers (after a normal exit has restored the screen). */
  dispose(): void;
};

export type ScreenOptions = {
  /** Process to watch (tests pass an emitter); default the real one. */
  proc?: NodeJS.EventEmitter & { exitCode?: number | string | undefined; exit?: (code?: number) => never };
  /** Called after restoring on a fatal signal or error, instead of exiting (tests). */
  onFatal?: (code: number, err?: unknown) => void;
  stderr?: Out;
};

const SIGNALS: Array<[NodeJS.Signals, number]> = [
  ["SIGTERM", 143],
  ["SIGINT", 130],
  ["SIGHUP", 129],
];

export function enterAlternateScreen(stdout: Out, stdin: In, opts: ScreenOptions = {}): Screen {
  const proc = opts.proc ?? process;
  const stderr = opts.stderr ?? process.stderr;
  let restored = false;
  let teardown: (() => void) | null = null;
  const restore = () => {
    if (restored) return;
    restored = true;
    try {
      teardown?.();
    } catch {
      // Whatever the renderer did, the terminal is still put back below.
    }
    try {
      if (stdin.isTTY && stdin.setRawMode) stdin.setRawMode(false);
    } catch {
      // stdin already closed: nothing to put back.
    }
    stdout.write(LEAVE);
  };
  const fatal = (code: number, err?: unknown) => {
    restore();
    if (err !== undefined) stderr.write(`usagetop: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    if (opts.onFatal) opts.onFatal(code, err);
    else (proc.exit ?? process.exit)(code);
  };
  const handlers: Array<[string, (...args: unknown[]) => void]> = [
    ...SIGNALS.map(([sig, code]): [string, () => void] => [sig, () => fatal(code)]),
    ["uncaughtException", (err: unknown) => fatal(1, err)],
    ["unhandledRejection", (err: unknown) => fatal(1, err)],
    // Last resort: whatever path leads to exit, the terminal is put back first.
    ["exit", () => restore()],
  ];
  for (const [event, fn] of handlers) proc.on(event, fn);
  stdout.write(ENTER);
  return {
    restore,
    beforeRestore: (fn) => {
      teardown = fn;
    },
    dispose: () => {
      for (const [event, fn] of handlers) proc.off(event, fn);
    },
  };
}
