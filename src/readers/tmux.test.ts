import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { capturePane, privateSessionName, runTmux, scrapeInPrivateSession, type TmuxOptions } from "./tmux.js";

let dir: string;
let opts: TmuxOptions;
let n = 0;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "usagetop-tmux-unit-"));
  // A private server whose socket lives in the temp dir.
  opts = { tmuxBin: "tmux", socketName: `usagetop-unit-${process.pid}-${++n}`, env: { PATH: process.env.PATH ?? "", TMUX_TMPDIR: dir, HOME: dir } };
});
afterEach(async () => {
  await execa("tmux", ["-L", opts.socketName!, "kill-server"], { env: opts.env!, extendEnv: false, reject: false });
  rmSync(dir, { recursive: true, force: true });
});

const sessions = async () => {
  const r = await runTmux(opts, ["ls", "-F", "#{session_name}"]);
  return r.ok ? r.value.split("\n").filter(Boolean) : [];
};

describe("tmux", () => {
  it("names private sessions uniquely, with our pid", () => {
    const a = privateSessionName();
    expect(a).toMatch(new RegExp(`^usagetop-scrape-${process.pid}-[0-9a-f]{8}$`));
    expect(privateSessionName()).not.toBe(a);
  });

  it("types keys, captures until settled, and kills only its own session", async () => {
    // Someone else's session with a look-alike name must survive.
    await runTmux(opts, ["new-session", "-d", "-s", "usagetop-scrape-other", "--", "sh", "-c", "sleep 60"]);
    const got = await scrapeInPrivateSession({
      ...opts,
      command: ["sh", "-c", 'printf "ready\\n"; read line; printf "got %s\\n" "$line"; sleep 60'],
      keys: [{ literal: "hello; rm -rf /nothing" }, { key: "Enter" }],
      isSettled: (c) => c.includes("got hello"),
      pollMs: 50,
      maxMs: 5_000,
    });
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    expect(got.value.settled).toBe(true);
    expect(got.value.capture).toContain("got hello; rm -rf /nothing");
    expect(await sessions()).toEqual(["usagetop-scrape-other"]);
  });

  it("returns the last capture unsettled at the time limit", async () => {
    const got = await scrapeInPrivateSession({
      ...opts,
      command: ["sh", "-c", 'printf "ready\\n"; sleep 60'],
      keys: [],
      isSettled: () => false,
      pollMs: 50,
      maxMs: 800,
    });
    expect(got).toMatchObject({ ok: true, value: { settled: false } });
    if (got.ok) expect(got.value.capture).toContain("ready");
    expect(await sessions()).toEqual([]);
  });

  it("captures a named pane read-only and reports a missing one", async () => {
    await runTmux(opts, ["new-session", "-d", "-s", "work", "-x", "80", "-y", "10", "--", "sh", "-c", 'printf "Current session\\n4%% used\\n"; sleep 60']);
    await new Promise((r) => setTimeout(r, 300));
    const cap = await capturePane(opts, "=work:");
    expect(cap.ok && cap.value).toContain("4% used");
    const missing = await capturePane(opts, "=nope:");
    expect(missing).toMatchObject({ ok: false, kind: "failed" });
  });

  it("reports a missing tmux binary as unavailable", async () => {
    expect(await runTmux({ tmuxBin: join(dir, "no-tmux") }, ["ls"])).toEqual({
      ok: false,
      kind: "unavailable",
      message: `tmux not found at ${join(dir, "no-tmux")}`,
    });
  });
});
