import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { enterAlternateScreen, ENTER, LEAVE } from "./alternate-screen.js";

function rig() {
  const out: string[] = [];
  const err: string[] = [];
  const raw: boolean[] = [];
  const proc = new EventEmitter();
  const fatal: number[] = [];
  const screen = enterAlternateScreen(
    { write: (s: string) => out.push(s) },
    { isTTY: true, setRawMode: (m: boolean) => raw.push(m) },
    { proc, onFatal: (code) => fatal.push(code), stderr: { write: (s: string) => err.push(s) } },
  );
  return { out, err, raw, proc, fatal, screen };
}

describe("alternate screen", () => {
  it("enters with the cursor hidden and restores once, however often asked", () => {
    const r = rig();
    expect(r.out).toEqual([ENTER]);
    expect(ENTER).toContain("\x1b[?1049h");
    expect(ENTER).toContain("\x1b[?25l");
    r.screen.restore();
    r.screen.restore();
    expect(r.out).toEqual([ENTER, LEAVE]);
    expect(LEAVE).toContain("\x1b[?1049l");
    expect(LEAVE).toContain("\x1b[?25h");
    expect(r.raw).toEqual([false]);
  });

  for (const [signal, code] of [
    ["SIGTERM", 143],
    ["SIGINT", 130],
    ["SIGHUP", 129],
  ] as const) {
    it(`${signal} restores the terminal, then exits ${code}`, () => {
      const r = rig();
      r.proc.emit(signal);
      expect(r.out.at(-1)).toBe(LEAVE);
      expect(r.fatal).toEqual([code]);
    });
  }

  it("lets the renderer draw its last frame on the alternate screen before leaving it, even if it throws", () => {
    const r = rig();
    r.screen.beforeRestore(() => {
      r.out.push("LAST FRAME");
      throw new Error("renderer gone");
    });
    r.proc.emit("SIGTERM");
    expect(r.out).toEqual([ENTER, "LAST FRAME", LEAVE]);
    expect(r.fatal).toEqual([143]);
    // Once only, like the rest of restoring.
    r.screen.restore();
    expect(r.out).toEqual([ENTER, "LAST FRAME", LEAVE]);
  });

  it("an uncaught error restores the terminal before the error is printed", () => {
    const r = rig();
    r.proc.emit("uncaughtException", new Error("boom"));
    expect(r.out.at(-1)).toBe(LEAVE);
    expect(r.err.join("")).toContain("boom");
    expect(r.fatal).toEqual([1]);
  });

  it("exit restores; dispose removes every handler", () => {
    const r = rig();
    expect(r.proc.listenerCount("SIGTERM")).toBe(1);
    r.proc.emit("exit");
    expect(r.out.at(-1)).toBe(LEAVE);
    r.screen.dispose();
    for (const e of ["SIGTERM", "SIGINT", "SIGHUP", "uncaughtException", "unhandledRejection", "exit"]) expect(r.proc.listenerCount(e)).toBe(0);
  });
});
