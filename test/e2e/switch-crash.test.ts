// Fault injection (SPEC 5.3.4): a child process loops switches among three slots and is SIGKILLed
// at random moments. After every kill `.credentials.json` must be a valid symlink to one of the
// slot files and every slot file byte-identical to its original. Leftover refresh-lock dirs are
// aged past 60 s (as a minute passing would), so the next child must recover them as stale;
// the dead child's switch.lock is recovered by its dead pid.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSandbox, sha256File, type Sandbox } from "../slot-sandbox.js";

const CHILD = join(import.meta.dirname, "..", "switch-loop-child.mjs");
const KILLS = Number(process.env.USAGETOP_CRASH_KILLS ?? 50);
const SWITCHES = 500;
const SLOTS = ["a", "b", "c"];

type Child = { proc: ChildProcessWithoutNullStreams; out: () => string; waitFor: (text: string) => Promise<void>; exited: Promise<{ code: number | null; signal: string | null; stderr: string }> };

/** Starts a child that loads everything, then waits on stdin: the next child warms up while the current one runs. */
function prepare(sb: Sandbox, count: number): Child {
  const proc = spawn(process.execPath, [CHILD, String(count), SLOTS.join(","), "--wait-start"], {
    env: { ...sb.env, PATH: process.env.PATH ?? "" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  proc.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
    for (const w of waiters.splice(0)) if (stdout.includes(w.text)) w.resolve();
    else waiters.push(w);
  });
  proc.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    proc.on("exit", (code, signal) => resolve({ code, signal, stderr })),
  );
  return {
    proc,
    out: () => stdout,
    exited,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        if (stdout.includes(text)) return resolve();
        waiters.push({ text, resolve });
        void exited.then((e) => reject(new Error(`child ended (${e.code ?? e.signal}) before "${text.trim()}": ${e.stderr}`)));
      }),
  };
}

describe("switch survives SIGKILL at any moment", () => {
  let sb: Sandbox;
  const originals = new Map<string, string>();
  beforeAll(() => {
    sb = makeSandbox();
    for (const s of SLOTS) originals.set(s, sha256File(sb.writeSlot(s)));
    sb.link(".credentials.json.a");
  });
  afterAll(() => sb.cleanup());

  function checkInvariants(): { tempLinks: number; staleLocks: number } {
    const live = join(sb.credsDir, ".credentials.json");
    expect(lstatSync(live).isSymbolicLink()).toBe(true);
    expect(SLOTS.map((s) => `.credentials.json.${s}`)).toContain(readlinkSync(live));
    expect(statSync(live).isFile()).toBe(true);
    for (const s of SLOTS) expect(sha256File(sb.slotPath(s))).toBe(originals.get(s));
    const log = join(sb.stateDir, "switches.jsonl");
    if (existsSync(log)) {
      for (const line of readFileSync(log, "utf8").split("\n").filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
    }
    const tempLinks = readdirSync(sb.credsDir).filter((n) => n.startsWith(".credentials.json.tmp-")).length;
    // A minute passes: proper-lockfile's rule makes the dead switch's lock dirs stale.
    let staleLocks = 0;
    const old = new Date(Date.now() - 120_000);
    for (const p of [join(sb.credsDir, ".oauth_refresh.lock"), join(sb.home, ".claude.lock")]) {
      if (existsSync(p)) {
        utimesSync(p, old, old);
        staleLocks++;
      }
    }
    return { tempLinks, staleLocks };
  }

  it(`keeps .credentials.json valid and every slot byte-identical across ${KILLS} kills`, async () => {
    const figures = { kills: 0, finishedBeforeKill: 0, tempLinksSeen: 0, staleLockDirsSeen: 0 };
    const started = Date.now();
    let next = prepare(sb, SWITCHES);
    for (let i = 0; i < KILLS; i++) {
      const current = next;
      await current.waitFor("ready\n");
      next = prepare(sb, i === KILLS - 1 ? 3 : SWITCHES);
      current.proc.stdin.write("start\n");
      await current.waitFor("go\n");
      const timer = setTimeout(() => current.proc.kill("SIGKILL"), Math.floor(Math.random() * 200));
      const end = await current.exited;
      clearTimeout(timer);
      if (end.signal === "SIGKILL") figures.kills++;
      else {
        expect(end.code, end.stderr).toBe(0);
        figures.finishedBeforeKill++;
      }
      const seen = checkInvariants();
      figures.tempLinksSeen += seen.tempLinks;
      figures.staleLockDirsSeen += seen.staleLocks;
    }
    // A clean run afterwards recovers everything the crashes left.
    await next.waitFor("ready\n");
    next.proc.stdin.write("start\n");
    const end = await next.exited;
    expect(end.code, end.stderr).toBe(0);
    const summary = JSON.parse(next.out().trim().split("\n").at(-1)!);
    expect(summary).toMatchObject({ deferred: 0, refused: 0 });
    expect(summary.switched + summary.unchanged).toBe(3);
    checkInvariants();
    expect(readdirSync(sb.credsDir).filter((n) => n.includes(".tmp-"))).toEqual([]);
    expect(existsSync(join(sb.credsDir, ".oauth_refresh.lock"))).toBe(false);
    const logged = readFileSync(join(sb.stateDir, "switches.jsonl"), "utf8").split("\n").filter(Boolean).length;
    console.log(`switch-crash figures: ${JSON.stringify({ ...figures, switchesLogged: logged, seconds: (Date.now() - started) / 1000 })}`);
    expect(figures.kills).toBeGreaterThan(KILLS / 2);
  }, 120_000);
});
