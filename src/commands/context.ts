// What every command receives from the CLI entry. Commands return their exit code.
import type { Config } from "../config/config.js";

export type Flags = {
  once: boolean;
  json: boolean;
  demo: boolean;
  slot?: string;
  plan?: string;
  config?: string;
  cache: boolean;
  interval?: number;
  color: boolean;
  debug: boolean;
  force: boolean;
  dryRun: boolean;
  probe: boolean;
  execute: boolean;
  wait: boolean;
  override: boolean;
  loop: boolean;
  maxWaves?: number;
  port?: number;
  host?: string;
  token?: string;
  since?: string;
  until?: string;
  timezone?: string;
  breakdown: boolean;
  project?: string;
  order?: string;
};

export type CommandContext = {
  /** Positional arguments after the command name (`slots check` -> ["check"]). */
  args: string[];
  /** Everything after a literal `--` (wave -- CMD ...). */
  rest: string[];
  flags: Flags;
  /** Loads the resolved config on first use; throws ConfigError (exit 1) when the file is bad. */
  config: () => Config;
  env: Record<string, string | undefined>;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  /** The clock, injectable for tests. */
  now: () => Date;
};

export type Command = (ctx: CommandContext) => Promise<number>;
