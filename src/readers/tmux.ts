// tmux as a screen reader for Claude Code's interactive `/usage` (SPEC 3.2.4). Either a read-only
// capture of a pane the user names, or a private detached session that usagetop opens, drives and
// always closes. Only the session this process created is ever killed: its name carries our pid
// and a random part, and every target uses tmux's exact-match `=` prefix.
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

export type TmuxOptions = {
  tmuxBin: string;
  /** `tmux -L <name>`: a separate server (tests use one per test; users normally leave it unset). */
  socketName?: string;
  signal?: AbortSignal;
  /** Environment for tmux (and so for a server it starts, and the programs in its sessions). */
  env?: Record<string, string | undefined>;
};

export type TmuxFailure = { ok: false; kind: "unavailable" | "timeout" | "failed"; message: string };
export type TmuxResult<T> = { ok: true; value: T } | TmuxFailure;

const COMMAND_TIMEOUT_MS = 5_000;

function baseArgs(opts: TmuxOptions): string[] {
  return opts.socketName ? ["-L", opts.socketName] : [];
}

/** Runs one tmux command (no shell) and returns its stdout, or a typed failure. */
export async function runTmux(opts: TmuxOptions, args: string[]): Promise<TmuxResult<string>> {
  const { execa } = await import("execa");
  const result = await execa(opts.tmuxBin, [...baseArgs(opts), ...args], {
    reject: false,
    stdin: "ignore",
    timeout: COMMAND_TIMEOUT_MS,
    ...(opts.signal ? { cancelSignal: opts.signal } : {}),
    ...(opts.env ? { env: opts.env, extendEnv: false } : {}),
    stripFinalNewline: false,
  });
  if ((result as { code?: string }).code === "ENOENT") {
    return { ok: false, kind: "unavailable", message: `tmux not found at ${opts.tmuxBin}` };
  }
  if (result.timedOut) return { ok: false, kind: "timeout", message: `tmux ${args[0]} did not answer within ${COMMAND_TIMEOUT_MS / 1000} s` };
  if (result.isCanceled) return { ok: false, kind: "timeout", message: `tmux ${args[0]} was cancelled` };
  if (result.exitCode !== 0) {
    const why = String(result.stderr ?? "").trim().split("\n")[0] || `exit code ${result.exitCode}`;
    return { ok: false, kind: "failed", message: `tmux ${args[0]}: ${why}` };
  }
  return { ok: true, value: String(result.stdout ?? "") };
}

/** Read-only: the visible text of `target` (`session:window.pane`), wrapped lines joined. */
export function capturePane(opts: TmuxOptions, target: string): Promise<TmuxResult<string>> {
  return runTmux(opts, ["capture-pane", "-p", "-J", "-t", target]);
}

export type PrivateScrapeOptions = TmuxOptions & {
  /** The program to start in the session (argv, executed without a shell). */
  command: string[];
  /** Keys typed once the program has drawn its first stable screen; each entry is one send-keys. */
  keys: Array<{ literal: string } | { key: string }>;
  /** True once a capture shows the final screen (not a loading frame, not the prompt). */
  isSettled: (capture: string) => boolean;
  /** Keys sent after capturing, before the session is killed (e.g. Escape to close the dialog). */
  closeKeys?: string[];
  width?: number;
  height?: number;
  pollMs?: number;
  /** Upper bound on the whole scrape, boot included. */
  maxMs?: number;
};

export type PrivateScrape = { capture: string; settled: boolean; sessionName: string };

export function privateSessionName(): string {
  return `usagetop-scrape-${process.pid}-${randomBytes(4).toString("hex")}`;
}

/**
 * Opens a detached session running `command`, waits for its first stable screen, types `keys`,
 * then captures until two consecutive captures agree and `isSettled` accepts them (or `maxMs`
 * passes: the last capture is returned with `settled: false`). The session is killed in every case.
 */
export async function scrapeInPrivateSession(opts: PrivateScrapeOptions): Promise<TmuxResult<PrivateScrape>> {
  const sessionName = privateSessionName();
  const exact = `=${sessionName}`;
  const pane = `=${sessionName}:`;
  const pollMs = opts.pollMs ?? 300;
  const deadline = Date.now() + (opts.maxMs ?? 20_000);
  const created = await runTmux(opts, [
    "new-session",
    "-d",
    "-s",
    sessionName,
    "-x",
    String(opts.width ?? 100),
    "-y",
    String(opts.height ?? 40),
    "--",
    // Two or more arguments make tmux exec the command directly instead of through `sh -c`,
    // so a path with spaces or quotes is never interpreted by a shell.
    ...(opts.command.length === 1 ? ["env", opts.command[0]!] : opts.command),
  ]);
  if (!created.ok) return created;
  try {
    const waitStable = async (accept: (capture: string) => boolean): Promise<TmuxResult<PrivateScrape>> => {
      let previous: string | null = null;
      let last = "";
      while (Date.now() < deadline) {
        if (opts.signal?.aborted) return { ok: false, kind: "timeout", message: "scrape cancelled" };
        const cap = await capturePane(opts, pane);
        if (!cap.ok) {
          return cap.kind === "failed"
            ? { ok: false, kind: "failed", message: `the program in the tmux session exited early (${cap.message})` }
            : cap;
        }
        last = cap.value;
        if (previous !== null && last === previous && accept(last)) return { ok: true, value: { capture: last, settled: true, sessionName } };
        previous = last;
        try {
          await sleep(pollMs, undefined, opts.signal ? { signal: opts.signal } : {});
        } catch {
          return { ok: false, kind: "timeout", message: "scrape cancelled" };
        }
      }
      return { ok: true, value: { capture: last, settled: false, sessionName } };
    };

    const booted = await waitStable((c) => c.trim().length > 0);
    if (!booted.ok) return booted;
    if (!booted.value.settled) {
      return { ok: false, kind: "timeout", message: `${opts.command.at(-1)} drew nothing in the tmux session before the time limit` };
    }
    for (const k of opts.keys) {
      const sent = await runTmux(opts, "literal" in k ? ["send-keys", "-t", pane, "-l", k.literal] : ["send-keys", "-t", pane, k.key]);
      if (!sent.ok) return sent;
    }
    const result = await waitStable(opts.isSettled);
    if (opts.closeKeys && opts.closeKeys.length > 0) {
      for (const key of opts.closeKeys) await runTmux(opts, ["send-keys", "-t", pane, key]);
      // Give the program a moment to act on them (the screen changes) before the session goes.
      const shown = result.ok ? result.value.capture : "";
      const until = Math.min(deadline + 1_000, Date.now() + 1_000);
      while (Date.now() < until && !opts.signal?.aborted) {
        const cap = await capturePane(opts, pane);
        if (!cap.ok || cap.value !== shown) break;
        await sleep(Math.min(pollMs, 100));
      }
    }
    return result;
  } finally {
    // Never `kill-server`, never a prefix match: only the session created above.
    await runTmux({ ...opts, signal: undefined }, ["kill-session", "-t", exact]);
  }
}
