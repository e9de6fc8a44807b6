// The CLI entry: meow parses flags, then the named command module is imported lazily so that
// non-TUI commands never load ink or react (startup time, SPEC 6.5).
// meow and the config loader (zod, smol-toml) are imported inside main(), after the status-line
// fast path below: importing them costs more than a status line's whole 50 ms budget.
import type { Config } from "./config/config.js";
import type { Command, CommandContext, Flags } from "./commands/context.js";
import { usagetopVersion } from "./config/version.js";
import { flagProblem } from "./cli-flags.js";

const HELP = `
  Usage
    usagetop                   live meters (q quits, ? shows the keys)
    usagetop --once [--json]   one frame of text or one JSON document, then exit
                               (--json alone implies --once)
    usagetop --demo ...        any command on built-in demo data (no account)
    usagetop slots [check [--probe] | adopt S | baseline S | reauth S
                    | decide [--execute]]
    usagetop switch SLOT [--force] [--dry-run]
    usagetop wave [--json] [--wait] [--override] [--loop [--max-waves N]]
                  [-- CMD ...]
    usagetop report [daily|monthly|sessions|projects|blocks|models] [--json]
                    [--breakdown] [--project P] [--since D] [--until D]
                    [--order asc|desc] [--timezone TZ]
    usagetop serve [--port 9469] [--host 127.0.0.1] [--token T]
    usagetop statusline        Claude Code's status JSON on stdin, one line out
    usagetop gptme --json      gptme-subscription usage-script contract
    usagetop config [path | check | init [--force]]

  Common options
    --slot S        read or act on slot S
    --plan P        pro, max, team, enterprise, api, codex, local, or [plans.*]
    --config FILE   config file (default $XDG_CONFIG_HOME/usagetop/config.toml)
    --no-cache      ignore cached reads' age (locks and backoff still apply)
    --interval SEC  poll interval
    --no-color      plain text (also NO_COLOR=1)
    --debug         stack traces and raw captures

  Exit codes
    0 ok   1 usage or config error   3 no usable data
    69 wave: no data   75 wave paused or switch deferred

  Examples
    $ usagetop --demo
    $ usagetop --once --json | jq .governing
    $ usagetop wave -- ./run-next-wave.sh
`;

const FLAGS = {
  once: { type: "boolean", default: false },
  json: { type: "boolean", default: false },
  demo: { type: "boolean", default: false },
  slot: { type: "string" },
  plan: { type: "string" },
  config: { type: "string" },
  cache: { type: "boolean", default: true },
  interval: { type: "number" },
  color: { type: "boolean", default: true },
  debug: { type: "boolean", default: false },
  force: { type: "boolean", default: false },
  dryRun: { type: "boolean", default: false },
  probe: { type: "boolean", default: false },
  execute: { type: "boolean", default: false },
  wait: { type: "boolean", default: false },
  override: { type: "boolean", default: false },
  loop: { type: "boolean", default: false },
  maxWaves: { type: "number" },
  port: { type: "number" },
  host: { type: "string" },
  token: { type: "string" },
  since: { type: "string" },
  until: { type: "string" },
  timezone: { type: "string" },
  breakdown: { type: "boolean", default: false },
  project: { type: "string" },
  order: { type: "string" },
} as const;

const COMMANDS: Record<string, () => Promise<{ default: Command }>> = {
  slots: () => import("./commands/slots.js"),
  switch: () => import("./commands/switch.js"),
  wave: () => import("./commands/wave.js"),
  report: () => import("./commands/report.js"),
  serve: () => import("./commands/serve.js"),
  statusline: () => import("./commands/statusline.js"),
  gptme: () => import("./commands/gptme.js"),
  config: () => import("./commands/config.js"),
};

function fixedNow(iso: string | undefined): () => Date {
  const pinned = iso ? Date.parse(iso) : Number.NaN;
  return Number.isFinite(pinned) ? () => new Date(pinned) : () => new Date();
}

export async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  // `usagetop statusline` exactly as Claude Code runs it: straight to the command, before meow,
  // zod or the config loader are loaded (SPEC 6.5). With any flag it takes the normal path below.
  if (argv.length === 1 && argv[0] === "statusline") {
    const { statuslineFast } = await import("./commands/statusline.js");
    return statuslineFast(env);
  }
  // The command's module starts loading beside meow and the config loader: Node's ES module
  // loader waits on file reads for each chunk, and the three graphs can share those waits.
  // A guess from the raw argv (meow has not parsed it yet); a wrong one only loads a module early.
  const first = argv.find((a) => !a.startsWith("-"));
  const named = first !== undefined && Object.hasOwn(COMMANDS, first);
  const early = named ? COMMANDS[first]!() : null;
  const earlyOnce = !named && (argv.includes("--once") || argv.includes("--json")) ? import("./commands/once.js") : null;
  for (const p of [early, earlyOnce]) p?.catch(() => {}); // a failure surfaces where the module is awaited below
  const [{ default: meow }, { ConfigError, loadConfig }] = await Promise.all([import("meow"), import("./config/load.js")]);
  const dashdash = argv.indexOf("--");
  const own = dashdash >= 0 ? argv.slice(0, dashdash) : argv;
  const rest = dashdash >= 0 ? argv.slice(dashdash + 1) : [];
  const cli = meow(HELP, {
    importMeta: import.meta,
    // Given, so meow neither searches for nor normalises package.json (a third of its start-up).
    pkg: { name: "usagetop", version: usagetopVersion() },
    argv: own,
    flags: FLAGS,
    allowUnknownFlags: true,
    autoHelp: true,
    autoVersion: true,
  });
  const given = Object.keys(cli.unnormalizedFlags);
  const problem = await flagProblem(FLAGS, cli.flags, given, own);
  if (problem !== null) {
    process.stderr.write(`${problem}\n`);
    return 1;
  }
  // meow answers --help and --version by itself only when they come alone; after a command
  // (`usagetop switch bob --help`) they must still only print, never run the command.
  if (given.includes("help")) {
    process.stdout.write(`${cli.help}\n`);
    return 0;
  }
  if (given.includes("version")) {
    process.stdout.write(`${usagetopVersion()}\n`);
    return 0;
  }
  const flags = cli.flags as unknown as Flags;
  const [name, ...args] = cli.input;
  const wantColor = flags.color && !("NO_COLOR" in env && env.NO_COLOR !== "") && process.stdout.isTTY === true;
  let config: Config | undefined;
  const ctx: CommandContext = {
    args,
    rest,
    flags,
    env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    // USAGETOP_NOW pins the clock (ISO-8601) for reproducible output and end-to-end tests.
    now: fixedNow(env.USAGETOP_NOW),
    config: () =>
      (config ??= loadConfig(
        {
          config: flags.config,
          plan: flags.plan,
          slot: flags.slot,
          interval: flags.interval,
          noCache: !flags.cache,
          debug: flags.debug,
          color: wantColor,
          demo: flags.demo,
          timezone: flags.timezone,
        },
        env,
      )),
  };
  try {
    if (name === undefined) {
      // There is no live JSON: `usagetop --json` means the one document `--once --json` prints.
      const mod = flags.once || flags.json ? await (earlyOnce ?? import("./commands/once.js")) : await import("./commands/tui.js");
      return await mod.default(ctx);
    }
    const load = COMMANDS[name];
    if (!load) {
      const { closestKey } = await import("./config/load.js");
      const guess = closestKey(name, Object.keys(COMMANDS));
      ctx.stderr.write(`usagetop: unknown command "${name}"${guess ? ` (did you mean "${guess}"?)` : ""}\nhint: usagetop --help lists the commands\n`);
      return 1;
    }
    return await (await (name === first && early !== null ? early : load())).default(ctx);
  } catch (err) {
    if (err instanceof ConfigError) {
      ctx.stderr.write(`${err.message}\n`);
      return 1;
    }
    const message = err instanceof Error ? err.message : String(err);
    ctx.stderr.write(`usagetop: ${message}\n`);
    if (flags.debug && err instanceof Error && err.stack) ctx.stderr.write(`${err.stack}\n`);
    else ctx.stderr.write(`hint: ${stateDirHint(err, config?.paths.stateDir) ?? "run again with --debug for details"}\n`);
    return 1;
  }
}

/** A file-system error inside the state dir (a lock, a log a command cannot do without) says where to look. */
function stateDirHint(err: unknown, stateDir: string | undefined): string | null {
  const path = (err as NodeJS.ErrnoException | null)?.path;
  if (stateDir === undefined || typeof path !== "string" || !(path === stateDir || path.startsWith(`${stateDir}/`) || stateDir.startsWith(`${path}/`))) return null;
  return `usagetop keeps its state in ${stateDir}: make it writable, or set XDG_STATE_HOME to a directory that is`;
}
