import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/load.js";
import { watchSources, watchedPaths, type SourceKind } from "./watch.js";

const home = mkdtempSync(join(tmpdir(), "usagetop-watch-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function config() {
  return loadConfig({}, { HOME: home, XDG_CONFIG_HOME: join(home, "cfg"), XDG_STATE_HOME: join(home, "state"), CLAUDE_CONFIG_DIR: join(home, ".claude"), CODEX_HOME: join(home, ".codex") });
}

describe("watchSources", () => {
  it("watches only the source paths that exist", () => {
    expect(watchedPaths(config())).toEqual([]);
    mkdirSync(join(home, ".claude", "projects", "p"), { recursive: true });
    mkdirSync(join(home, ".codex", "sessions", "2026", "12", "01"), { recursive: true });
    expect(watchedPaths(config()).map((p) => p.kind)).toEqual(["transcripts", "local"]);
  });

  it("follows the transcript dirs the reader reads, [readers.transcripts] dirs included", () => {
    const elsewhere = join(home, "elsewhere");
    mkdirSync(join(elsewhere, "projects"), { recursive: true });
    mkdirSync(join(home, "cfg", "usagetop"), { recursive: true });
    writeFileSync(join(home, "cfg", "usagetop", "config.toml"), `[readers.transcripts]\ndirs = [${JSON.stringify(elsewhere)}]\n`);
    try {
      expect(watchedPaths(config()).filter((p) => p.kind === "transcripts").map((p) => p.path)).toEqual([join(elsewhere, "projects")]);
    } finally {
      rmSync(join(home, "cfg"), { recursive: true, force: true });
    }
  });

  it("reports an appended rollout line as a local change and a transcript write as a transcripts change, debounced", async () => {
    const rollout = join(home, ".codex", "sessions", "2026", "12", "01", "rollout-x.jsonl");
    writeFileSync(rollout, "");
    const events: Array<ReadonlySet<SourceKind>> = [];
    const w = watchSources(config(), (kinds) => events.push(kinds), 50);
    await w.ready;
    const seen = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const started = Date.now();
        const poll = setInterval(() => {
          if (events.length >= n) {
            clearInterval(poll);
            resolve();
          } else if (Date.now() - started > 5000) {
            clearInterval(poll);
            reject(new Error(`no change event within 5 s (got ${events.length})`));
          }
        }, 10);
      });
    try {
      for (let i = 0; i < 5; i++) appendFileSync(rollout, `{"i":${i}}\n`);
      await seen(1);
      expect([...events[0]!]).toEqual(["local"]);
      writeFileSync(join(home, ".claude", "projects", "p", "s.jsonl"), "{}\n");
      await seen(2);
      expect(events[1]!.has("transcripts")).toBe(true);
      // Five appends in a burst made one event, not five.
      expect(events.filter((k) => k.has("local")).length).toBeLessThanOrEqual(2);
    } finally {
      await w.close();
    }
  });
});
