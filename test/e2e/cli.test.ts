// The CLI's own surface: --help and --version wherever they stand, and a suggestion for a typo.
import { readlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, tempHome } from "../run-cli.js";
import { makeSandbox, runSandboxCli } from "../slot-sandbox.js";

const t = tempHome();
afterAll(() => t.cleanup());

describe("usagetop --help and --version", () => {
  it("print the help alone or after a command, and never run the command", async () => {
    const alone = await runCli(["--help"], t.env);
    expect(alone.exitCode).toBe(0);
    expect(String(alone.stdout)).toContain("usagetop report [daily|monthly|sessions|projects|blocks|models]");
    // Read like a man page in any terminal: nothing wider than 80 columns.
    for (const line of String(alone.stdout).split("\n")) expect([...line].length, line).toBeLessThanOrEqual(80);
    // A switch asked for its help must not switch: the live link stays where it was.
    const sb = makeSandbox();
    try {
      sb.writeSlot("alice");
      sb.writeSlot("bob");
      sb.link(".credentials.json.alice");
      const before = sb.snapshot();
      const r = await runSandboxCli(["switch", "bob", "--help"], sb.env);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe(String(alone.stdout));
      expect(readlinkSync(join(sb.credsDir, ".credentials.json"))).toBe(".credentials.json.alice");
      expect(sb.snapshot()).toBe(before);
    } finally {
      sb.cleanup();
    }
    // Alone, meow answers it itself (from the package facts usagetop hands it).
    const bare = await runCli(["--version"], t.env);
    expect(bare.exitCode).toBe(0);
    expect(String(bare.stdout)).toMatch(/^\d+\.\d+\.\d+$/);
    const version = await runCli(["report", "--version"], t.env);
    expect(version.exitCode).toBe(0);
    expect(String(version.stdout)).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("a state dir that cannot be written", () => {
  it("stops a switch before it touches anything, and says where usagetop keeps its state", async () => {
    const sb = makeSandbox();
    try {
      sb.writeSlot("alice");
      sb.writeSlot("bob");
      sb.link(".credentials.json.alice");
      const { writeFileSync } = await import("node:fs");
      const blocked = join(sb.root, "state-file");
      writeFileSync(blocked, "");
      const r = await runSandboxCli(["switch", "bob"], { ...sb.env, XDG_STATE_HOME: blocked });
      expect(r.exitCode).toBe(1);
      expect(r.stderr.split("\n")[1]).toBe(`hint: usagetop keeps its state in ${join(blocked, "usagetop")}: make it writable, or set XDG_STATE_HOME to a directory that is`);
      expect(readlinkSync(join(sb.credsDir, ".credentials.json"))).toBe(".credentials.json.alice");
    } finally {
      sb.cleanup();
    }
  });
});

describe("typos", () => {
  it("name the flag or command and suggest the one meant", async () => {
    const flag = await runCli(["--once", "--jsn"], t.env);
    expect(flag.exitCode).toBe(1);
    expect(String(flag.stderr)).toBe("usagetop: unknown flag --jsn (did you mean --json?)\nhint: usagetop --help lists every flag");
    const command = await runCli(["repot"], t.env);
    expect(command.exitCode).toBe(1);
    expect(String(command.stderr)).toBe('usagetop: unknown command "repot" (did you mean "report"?)\nhint: usagetop --help lists the commands');
    const far = await runCli(["frobnicate"], t.env);
    expect(String(far.stderr)).toBe('usagetop: unknown command "frobnicate"\nhint: usagetop --help lists the commands');
  });

  it("name what was typed for a number flag, never NaN, and refuse one given without a value", async () => {
    const port = await runCli(["serve", "--port", "abc"], t.env);
    expect(port.exitCode).toBe(1);
    expect(String(port.stderr)).toBe('usagetop: --port: expected a number, got "abc"');
    const waves = await runCli(["wave", "--loop", "--max-waves=two", "--", "true"], t.env);
    expect(String(waves.stderr)).toBe('usagetop: --max-waves: expected a number, got "two"');
    const bare = await runCli(["--once", "--interval"], t.env);
    expect(bare.exitCode).toBe(1);
    expect(String(bare.stderr)).toBe('usagetop: --interval: expected a number, got ""');
  });
});
