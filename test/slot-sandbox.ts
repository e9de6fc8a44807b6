// A private slot layout for tests: a credentials dir with slot files built from
// fixtures/credentials (expiresAt rewritten relative to the test's clock), a HOME, XDG dirs, and
// the resolved Config the library calls take. Nothing outside the temp dir is ever touched.
import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Config } from "../src/config/config.js";
import { loadConfig } from "../src/config/load.js";

export const FIXTURES = join(import.meta.dirname, "..", "fixtures", "credentials");

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), "utf8");
}

export type SlotSpec = {
  /** Fixture to start from (default `<name>.json` when it exists, else alice.json with tokens renamed). */
  fixture?: string;
  /** Milliseconds from `now` until the access token expires (negative: lapsed). Default 5 h. */
  expiresInMs?: number;
  /** Age of the file's mtime in ms (for `old`). */
  ageMs?: number;
  /** Raw file text instead of a fixture. */
  raw?: string;
};

export type Sandbox = {
  root: string;
  credsDir: string;
  home: string;
  stateDir: string;
  env: Record<string, string>;
  config(extraToml?: string): Config;
  writeSlot(name: string, spec?: SlotSpec): string;
  link(target: string): void;
  slotPath(name: string): string;
  /** Every file under the sandbox (name, type, link target, mode, content hash): before/after comparisons. */
  snapshot(dir?: string): string;
  cleanup(): void;
};

/** Credentials text for slot `name`: alice.json's shape with the slot's own fixture tokens. */
export function credentialsText(name: string, expiresAt: number, base = "alice.json"): string {
  const json = JSON.parse(fixtureText(base)) as { claudeAiOauth: Record<string, unknown> };
  if (base === "alice.json" && name !== "alice") {
    json.claudeAiOauth.accessToken = `sk-ant-oat01-FIXTURE-ACCESS-${name}`;
    json.claudeAiOauth.refreshToken = `sk-ant-ort01-FIXTURE-REFRESH-${name}`;
  }
  json.claudeAiOauth.expiresAt = expiresAt;
  return `${JSON.stringify(json, null, 2)}\n`;
}

export function makeSandbox(now: Date = new Date()): Sandbox {
  const root = mkdtempSync(join(tmpdir(), "usagetop-slots-"));
  const home = join(root, "home");
  const credsDir = join(home, ".claude");
  const xdgState = join(home, ".local", "state");
  const xdgConfig = join(home, ".config");
  mkdirSync(credsDir, { recursive: true });
  mkdirSync(xdgConfig, { recursive: true });
  const env: Record<string, string> = {
    HOME: home,
    CLAUDE_CONFIG_DIR: credsDir,
    XDG_STATE_HOME: xdgState,
    XDG_CONFIG_HOME: xdgConfig,
    CODEX_HOME: join(home, ".codex"),
  };
  const sandbox: Sandbox = {
    root,
    credsDir,
    home,
    stateDir: join(xdgState, "usagetop"),
    env,
    config(extraToml?: string) {
      if (extraToml !== undefined) {
        mkdirSync(join(xdgConfig, "usagetop"), { recursive: true });
        writeFileSync(join(xdgConfig, "usagetop", "config.toml"), extraToml);
      }
      return loadConfig({}, env);
    },
    slotPath: (name) => join(credsDir, `.credentials.json.${name}`),
    writeSlot(name, spec = {}) {
      const path = sandbox.slotPath(name);
      let text: string;
      if (spec.raw !== undefined) text = spec.raw;
      else if (spec.fixture && !spec.fixture.startsWith("alice") && !spec.fixture.startsWith("bob")) text = fixtureText(spec.fixture);
      else {
        const base = spec.fixture ?? (name === "bob" ? "bob.json" : "alice.json");
        text = credentialsText(name, now.getTime() + (spec.expiresInMs ?? 5 * 3600_000), base);
      }
      writeFileSync(path, text, { mode: 0o600 });
      if (spec.ageMs !== undefined) {
        const t = new Date(now.getTime() - spec.ageMs);
        utimesSync(path, t, t);
      }
      return path;
    },
    link(target) {
      const live = join(credsDir, ".credentials.json");
      rmSync(live, { force: true });
      symlinkSync(target, live);
    },
    snapshot(dir = root) {
      return snapshotTree(dir);
    },
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
  return sandbox;
}

export function snapshotTree(dir: string): string {
  const lines: string[] = [];
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const p = join(d, name);
      const st = lstatSync(p);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) lines.push(`L ${p} -> ${readlinkSync(p)}`);
      else if (st.isDirectory()) {
        lines.push(`D ${p} ${mode}`);
        walk(p);
      } else if (st.isFile()) {
        let hash = "unreadable";
        try {
          hash = createHash("sha256").update(readFileSync(p)).digest("hex");
        } catch {
          // 000 files as non-root: the mode line still records them.
        }
        lines.push(`F ${p} ${mode} ${hash} ${st.mtimeMs}`);
      } else lines.push(`O ${p} ${mode}`);
    }
  };
  walk(dir);
  return lines.join("\n");
}

export function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** True when this process can read a mode-000 file anyway (root, CAP_DAC_OVERRIDE). */
export function permissionsAreBypassed(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

export type CliRun = { exitCode: number; stdout: string; stderr: string };

/** An unprivileged uid for permission tests when the suite runs as root (CI does): "nobody". */
export const UNPRIVILEGED_UID = 65534;

/**
 * The built CLI in the sandbox's environment, outputs as plain strings. `uid` runs it as another
 * user (root only), so a mode-000 file is really unreadable to it.
 */
export async function runSandboxCli(args: string[], env: Record<string, string>, uid?: number): Promise<CliRun> {
  const { runCli } = await import("./run-cli.js");
  const r = await runCli(args, env, uid === undefined ? {} : { uid, gid: uid });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout ?? ""), stderr: String(r.stderr ?? "") };
}
