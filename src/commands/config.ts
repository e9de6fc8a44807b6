// `usagetop config [path | check | init [--force]]` (SPEC 6.1, 7.2).
import { randomBytes } from "node:crypto";
import { existsSync, linkSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname } from "node:path";
import { ConfigError } from "../config/config-error.js";
import { EXAMPLE_CONFIG } from "../config/example.js";
import { configFilePath, homeDir } from "../config/paths.js";
import type { CommandContext } from "./context.js";

const USAGE = "usagetop config [path | check | init [--force]]";

function configPath(ctx: CommandContext): string {
  return configFilePath(ctx.flags.config, ctx.env, homeDir(ctx.env, homedir()));
}

function check(ctx: CommandContext): number {
  let config;
  try {
    config = ctx.config();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    ctx.stderr.write(`${err.message}\n`);
    return 1;
  }
  const path = config.paths.configFile;
  if (config.demo && ctx.flags.config === undefined) ctx.stdout.write(`ok: ${path} (not read under --demo)\n`);
  else if (config.loadedFrom === null) ctx.stdout.write(`ok: ${path} (no file: defaults)\n`);
  else ctx.stdout.write(`ok: ${path}\n`);
  for (const line of config.imported) ctx.stdout.write(`${line}\n`);
  return 0;
}

/**
 * Writes the example through a temp file: `link` refuses an existing target atomically (no
 * window in which a concurrent writer's file is overwritten), `rename` replaces it for --force.
 */
function init(ctx: CommandContext): number {
  if (ctx.flags.demo && ctx.flags.config === undefined) {
    ctx.stderr.write("usagetop: --demo writes no user files\nhint: add --config FILE to write the example there\n");
    return 1;
  }
  const path = configPath(ctx);
  const refuse = () => {
    ctx.stderr.write(`usagetop: ${path} already exists; not overwriting it\nhint: usagetop config init --force replaces it, or --config FILE writes the example elsewhere\n`);
    return 1;
  };
  if (existsSync(path) && !ctx.flags.force) return refuse();
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  writeFileSync(temp, EXAMPLE_CONFIG, { mode: 0o600, flag: "wx" });
  try {
    if (ctx.flags.force) renameSync(temp, path);
    else {
      try {
        linkSync(temp, path);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "EEXIST") return refuse();
        if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS") throw err;
        // No hard links on this filesystem: an exclusive create still never overwrites.
        try {
          writeFileSync(path, EXAMPLE_CONFIG, { mode: 0o600, flag: "wx" });
        } catch (inner) {
          if ((inner as NodeJS.ErrnoException).code === "EEXIST") return refuse();
          throw inner;
        }
      }
    }
  } finally {
    rmSync(temp, { force: true });
  }
  ctx.stdout.write(`wrote ${path}\nnext: uncomment what you want to change, then run usagetop config check\n`);
  return 0;
}

export default async function run(ctx: CommandContext): Promise<number> {
  const [sub = "path", ...extra] = ctx.args;
  if (extra.length > 0) {
    ctx.stderr.write(`usagetop: unexpected argument "${extra[0]}" after config ${sub}\nhint: ${USAGE}\n`);
    return 1;
  }
  switch (sub) {
    case "path":
      ctx.stdout.write(`${configPath(ctx)}\n`);
      return 0;
    case "check":
      return check(ctx);
    case "init":
      return init(ctx);
    default:
      ctx.stderr.write(`usagetop: unknown config subcommand "${sub}"\nhint: ${USAGE}\n`);
      return 1;
  }
}
