// The real TUI in a real terminal: `node bin/usagetop.js --demo` inside tmux (private socket),
// at 80x24, 120x40 and 250x60. Checks what a user would see: every applicable meter, the
// governing line and the key bar, nothing wider than the pane, no wrapped row; after `q` the
// shell is back (alternate screen left) with the tty settings unchanged; a resize redraws
// cleanly within a second. Needs `npm run build` first and tmux on PATH.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN } from "../run-cli.js";

const SOCKET = `usagetop-test-${process.pid}`;
const KEY_BAR = "?Help  pPlan  sSlot  rRefresh  TabView  qQuit";
const hasTmux = (() => {
  try {
    execFileSync("tmux", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

function tmux(...args: string[]): string {
  return execFileSync("tmux", ["-L", SOCKET, "-f", "/dev/null", ...args], { encoding: "utf8" });
}

function capture(target: string, join = false): string[] {
  const out = tmux("capture-pane", "-p", ...(join ? ["-J"] : []), "-t", target);
  const lines = out.replace(/\n$/, "").split("\n");
  while (lines.length > 0 && lines.at(-1) === "") lines.pop();
  return lines;
}

async function until<T>(what: string, probe: () => T | null | undefined | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const got = probe();
    if (got) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let dir: string;
let expected: { labels: string[]; governing: string };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "usagetop-tui-e2e-"));
  // What the screen must show, from the same binary's JSON: every applicable meter's label.
  const doc = JSON.parse(execFileSync("node", [BIN, "--demo", "--once", "--json"], { encoding: "utf8", env: envFor() })) as {
    meters: Array<{ label: string; kind: string; applicable: boolean }>;
    governing: { kind: string } | null;
  };
  const labels = doc.meters.filter((m) => m.applicable).map((m) => m.label);
  const governing = doc.meters.find((m) => m.kind === doc.governing?.kind)?.label ?? "";
  expected = { labels, governing };
});

afterAll(() => {
  try {
    tmux("kill-server");
  } catch {
    // No session was started (tmux missing): nothing to kill.
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function envFor(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, XDG_CONFIG_HOME: join(dir, "config"), XDG_STATE_HOME: join(dir, "state"), NO_COLOR: "1" };
  delete env.CI;
  delete env.USAGETOP_CONFIG;
  return env;
}

/** A shell in a new session of the given size, with a plain prompt. */
function shell(name: string, columns: number, rows: number): void {
  tmux("new-session", "-d", "-s", name, "-x", String(columns), "-y", String(rows), "env", "-u", "CI", `HOME=${dir}`, "HISTFILE=/dev/null", "PS1=$ ", "bash", "--norc", "--noprofile");
  tmux("set-option", "-t", name, "status", "off");
}

function startTui(name: string, tag: string): void {
  const before = join(dir, `${tag}-stty-before`);
  const after = join(dir, `${tag}-stty-after`);
  const cmd =
    `stty -a > ${before}; XDG_STATE_HOME=${dir}/state XDG_CONFIG_HOME=${dir}/config NO_COLOR=1 node ${BIN} --demo; ` +
    `echo "TUI-EXIT-$?"; stty -a > ${after}`;
  tmux("send-keys", "-t", name, "-l", cmd);
  tmux("send-keys", "-t", name, "Enter");
}

describe.skipIf(!hasTmux)("the TUI in tmux", () => {
  for (const [columns, rows] of [
    [80, 24],
    [120, 40],
    [250, 60],
  ] as const) {
    it(`${columns}x${rows}: meters, governing line and key bar fit; q restores the shell and the tty`, async () => {
      const name = `s${columns}`;
      shell(name, columns, rows);
      startTui(name, name);
      const screen = await until("the key bar", () => {
        const lines = capture(name);
        return lines.includes(KEY_BAR) ? lines : null;
      });
      for (const label of expected.labels) expect(screen.some((l) => l.startsWith(label)), label).toBe(true);
      const gov = screen.find((l) => l.startsWith("Governing: "));
      expect(gov).toBeDefined();
      expect(gov).toContain(expected.governing);
      expect(screen[0]).toMatch(/^usagetop demo · slot alice · plan max · /);
      // From ~130 columns the meter rows end with the source and age of their reading.
      const opus = screen.find((l) => l.startsWith("Week (Opus)")) ?? "";
      if (columns >= 130) expect(opus).toMatch(/ oauth \d+s$/);
      else expect(opus).not.toMatch(/ oauth \d+s$/);
      expect(screen.length).toBeLessThanOrEqual(rows - 1);
      for (const l of screen) expect([...l].length, l).toBeLessThanOrEqual(columns);
      // -J joins wrapped rows: the same number of lines means no row wrapped.
      expect(capture(name, true).length).toBe(screen.length);

      tmux("send-keys", "-t", name, "q");
      const back = await until("the shell", () => {
        const lines = capture(name);
        return lines.some((l) => l.startsWith("TUI-EXIT-")) && lines.at(-1) === "$" ? lines : null;
      });
      expect(back.find((l) => l.startsWith("TUI-EXIT-"))).toBe("TUI-EXIT-0");
      expect(back.join("\n")).not.toContain(KEY_BAR);
      expect(back.join("\n")).not.toContain("Governing:");
      expect(readFileSync(join(dir, `${name}-stty-after`), "utf8")).toBe(readFileSync(join(dir, `${name}-stty-before`), "utf8"));
    });
  }

  it("Ctrl-C also restores the shell and the tty", async () => {
    shell("ctrlc", 100, 30);
    startTui("ctrlc", "ctrlc");
    await until("the key bar", () => capture("ctrlc").includes(KEY_BAR));
    tmux("send-keys", "-t", "ctrlc", "C-c");
    const back = await until("the shell", () => {
      const lines = capture("ctrlc");
      return lines.some((l) => l.startsWith("TUI-EXIT-")) && lines.at(-1) === "$" ? lines : null;
    });
    expect(back.find((l) => l.startsWith("TUI-EXIT-"))).toBe("TUI-EXIT-0");
    expect(readFileSync(join(dir, "ctrlc-stty-after"), "utf8")).toBe(readFileSync(join(dir, "ctrlc-stty-before"), "utf8"));
  });

  it("SIGTERM restores the terminal too", async () => {
    shell("term", 100, 30);
    startTui("term", "term");
    await until("the key bar", () => capture("term").includes(KEY_BAR));
    // The pane runs bash; its only child is the TUI (which titles itself "usagetop").
    const pane = tmux("display-message", "-p", "-t", "term", "#{pane_pid}").trim();
    const pid = execFileSync("ps", ["-o", "pid=", "--ppid", pane], { encoding: "utf8" }).trim();
    process.kill(Number(pid.split("\n")[0]), "SIGTERM");
    const back = await until("the shell", () => {
      const lines = capture("term");
      return lines.some((l) => l.startsWith("TUI-EXIT-")) && lines.at(-1) === "$" ? lines : null;
    });
    expect(back.find((l) => l.startsWith("TUI-EXIT-"))).toBe("TUI-EXIT-143");
    expect(back.join("\n")).not.toContain(KEY_BAR);
    expect(readFileSync(join(dir, "term-stty-after"), "utf8")).toBe(readFileSync(join(dir, "term-stty-before"), "utf8"));
  });

  it("resizing from 120 to 60 columns re-renders within 1 s without garbage", async () => {
    shell("resize", 120, 40);
    startTui("resize", "resize");
    await until("the key bar", () => capture("resize").includes(KEY_BAR));
    tmux("resize-window", "-t", "resize", "-x", "60", "-y", "40");
    const t0 = Date.now();
    const clean = (lines: string[]) =>
      lines.length > 0 &&
      lines.every((l) => [...l].length <= 60) &&
      lines.filter((l) => l.startsWith("usagetop demo")).length === 1 &&
      lines.filter((l) => l === KEY_BAR).length === 1 &&
      lines[0]!.startsWith("usagetop demo") &&
      lines.filter((l) => l.startsWith("Governing: ")).length === 1;
    // `capture -J` joins wrapped rows: the same line count with and without it means no row wrapped.
    // Both captures are taken together and retried, since a capture can land mid-redraw.
    const screen = await until("a clean 60-column frame with no wrapped row", () => {
      const lines = capture("resize");
      return clean(lines) && capture("resize", true).length === lines.length ? lines : null;
    }, 1000);
    expect(Date.now() - t0).toBeLessThan(1000);
    for (const label of expected.labels) expect(screen.some((l) => l.startsWith(label)), label).toBe(true);
    // And it stays clean on the next ticks (no late half-frame).
    await new Promise((r) => setTimeout(r, 1200));
    expect(clean(capture("resize"))).toBe(true);
    tmux("send-keys", "-t", "resize", "q");
    await until("the shell", () => capture("resize").some((l) => l.startsWith("TUI-EXIT-")));
  });
});
