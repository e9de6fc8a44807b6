#!/usr/bin/env node
// A stand-in for the `claude` executable, faithful to what usagetop's usage-screen reader sees.
//
//   claude -p "/usage"   prints the recorded screen in $FAKE_CLAUDE_SCREEN and exits
//                        ($FAKE_CLAUDE_EXIT, default 0; $FAKE_CLAUDE_DELAY_MS before printing).
//   claude               behaves like the TUI, enough for a tmux scrape: draws a prompt; on
//                        "/usage" + Enter draws "Loading usage data…" ($FAKE_CLAUDE_LOADING_MS),
//                        then a half-painted frame with dropped letters, then the recorded screen;
//                        Escape returns to the prompt; Ctrl-C exits.
// Every argv and key event is appended as a JSON line to $FAKE_CLAUDE_LOG when set, so tests can
// check what was run and typed.
import { appendFileSync, readFileSync } from "node:fs";

const env = process.env;
const log = (event) => {
  if (env.FAKE_CLAUDE_LOG) appendFileSync(env.FAKE_CLAUDE_LOG, JSON.stringify({ pid: process.pid, ...event }) + "\n");
};
const screen = () => (env.FAKE_CLAUDE_SCREEN ? readFileSync(env.FAKE_CLAUDE_SCREEN, "utf8") : "");
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const args = process.argv.slice(2);
log({ event: "start", args });

if (args[0] === "-p" || args[0] === "--print") {
  await sleep(Number(env.FAKE_CLAUDE_DELAY_MS ?? 0));
  process.stdout.write(screen());
  if (env.FAKE_CLAUDE_STDERR) process.stderr.write(env.FAKE_CLAUDE_STDERR);
  process.exitCode = Number(env.FAKE_CLAUDE_EXIT ?? 0);
} else {
  await interactive();
}

async function interactive() {
  const out = (text) => process.stdout.write(text.replace(/\r?\n/g, "\r\n"));
  const clear = "\x1b[2J\x1b[H";
  const header = " ✻ Welcome to Claude Code (fake)\n\n";
  let buffer = "";
  let view = "prompt";
  let generation = 0;
  const drawPrompt = () => out(`${clear}${header}> ${buffer}`);

  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  process.stdin.setEncoding("utf8");
  await sleep(Number(env.FAKE_CLAUDE_BOOT_MS ?? 150));
  drawPrompt();

  const showUsage = async () => {
    const mine = ++generation;
    view = "usage";
    out(`${clear} Settings:  Status   Config   Usage  (tab to cycle)\n\n Loading usage data…\n`);
    await sleep(Number(env.FAKE_CLAUDE_LOADING_MS ?? 400));
    if (mine !== generation) return;
    const full = screen();
    const lines = full.split("\n");
    // Half-painted: the first third of the frame, letters dropped as seen in real captures.
    const half = lines
      .slice(0, Math.ceil(lines.length / 3))
      .join("\n")
      .replace("Current session", "Curretsession")
      .replace("(all models)", "(all modls)");
    out(`${clear}${half}`);
    await sleep(Number(env.FAKE_CLAUDE_PAINT_MS ?? 60));
    if (mine !== generation) return;
    out(`${clear}${full}`);
  };

  process.stdin.on("data", (chunk) => {
    for (const ch of chunk) {
      if (ch === "\x03") {
        log({ event: "exit" });
        process.exit(0);
      }
      if (ch === "\x1b") {
        log({ event: "key", key: "Escape", view });
        generation++;
        view = "prompt";
        buffer = "";
        drawPrompt();
      } else if (ch === "\r" || ch === "\n") {
        log({ event: "key", key: "Enter", line: buffer });
        const line = buffer.trim();
        buffer = "";
        if (line === "/usage") void showUsage();
        else drawPrompt();
      } else if (ch === "\x7f") {
        buffer = buffer.slice(0, -1);
        if (view === "prompt") drawPrompt();
      } else if (ch >= " ") {
        buffer += ch;
        if (view === "prompt") out(ch);
      }
    }
  });
  process.on("SIGHUP", () => {
    log({ event: "hangup" });
    process.exit(0);
  });
  await new Promise(() => {});
}
