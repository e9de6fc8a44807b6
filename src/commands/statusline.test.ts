import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/load.js";
import { readStdinCapped, settingsFromConfig, settingsFromEnv } from "./statusline.js";

const root = mkdtempSync(join(tmpdir(), "usagetop-statusline-cmd-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("readStdinCapped", () => {
  it("reads to EOF", async () => {
    const s = new PassThrough();
    const got = readStdinCapped(s, 100, 5000);
    s.end('{"a":1}');
    expect(await got).toEqual({ text: '{"a":1}' });
  });

  it("gives up past the cap, on a stream that never ends, and on a terminal", async () => {
    const big = new PassThrough();
    const over = readStdinCapped(big, 10, 5000);
    big.write("x".repeat(11));
    expect(await over).toEqual({ skipped: "status input over 1 MiB" });
    expect(await readStdinCapped(new PassThrough(), 10, 20)).toEqual({ skipped: "stdin not closed in time" });
    expect(await readStdinCapped(Object.assign(new PassThrough(), { isTTY: true }), 10, 5000)).toEqual({ skipped: "stdin is a terminal" });
  });
});

describe("settingsFromEnv", () => {
  it("resolves the same paths and settings as the config loader, without zod", async () => {
    const home = join(root, "h1");
    const env = { HOME: home, XDG_CONFIG_HOME: join(home, "cfg"), XDG_STATE_HOME: join(home, "state"), CLAUDE_CONFIG_DIR: join(home, "claude") };
    mkdirSync(join(home, "cfg", "usagetop"), { recursive: true });
    writeFileSync(
      join(home, "cfg", "usagetop", "config.toml"),
      '[general]\nplan = "solo"\nslot = "bob"\n\n[slots]\ndir = "~/slots"\n\n[pacing]\ntarget = 0.9\nband = 3\n\n[readers.statusline]\nmax_age = 120\n\n[readers.oauth]\ninterval = 240\n\n[plans.solo]\nmeters = ["five_hour", "seven_day_opus"]\n',
    );
    const fast = await settingsFromEnv(env);
    const full = settingsFromConfig(loadConfig({}, env));
    expect(fast).toEqual(full);
    expect(fast.plans.solo).toEqual(["five_hour", "seven_day_opus"]);
    expect(fast).toMatchObject({ plan: "solo", slot: "bob", credsDir: join(home, "slots"), pacing: { paceTarget: 0.9, band: 3 }, maxAgeSeconds: 120, intervalSeconds: 240 });
  });

  it("falls back to the environment and defaults when the config file is broken", async () => {
    const home = join(root, "h2");
    const env = { HOME: home, XDG_STATE_HOME: join(home, "state"), USAGETOP_CREDS_DIR: join(home, "creds") };
    mkdirSync(join(home, ".config", "usagetop"), { recursive: true });
    writeFileSync(join(home, ".config", "usagetop", "config.toml"), "[general\n");
    expect(await settingsFromEnv(env)).toMatchObject({ stateDir: join(home, "state", "usagetop"), credsDir: join(home, "creds"), plan: "max", slot: null });
  });
});
