// `usagetop serve [--port 9469] [--host 127.0.0.1] [--token T]` (SPEC 6.4): the store kept live by
// the scheduler (one poll per interval per slot across processes, whatever the request rate),
// served as JSON and Prometheus metrics from memory. A non-loopback host needs a token (flag or
// USAGETOP_SERVE_TOKEN) and is refused before binding without one. Alerts run here too.
// The first stdout line is `listening on http://HOST:PORT`; SIGINT/SIGTERM shut down gracefully.
import { DEFAULTS } from "../config/defaults.js";
import { followAlerts, followSources, startLive, startTranscripts } from "../store/live.js";
import { isLoopback, startServer } from "../ui/http/server.js";
import { serveSources } from "../ui/http/sources.js";
import type { CommandContext } from "./context.js";

function log(ctx: CommandContext, message: string): void {
  ctx.stderr.write(`${ctx.now().toISOString()} ${message}\n`);
}

export default async function run(ctx: CommandContext): Promise<number> {
  const config = ctx.config();
  const host = ctx.flags.host ?? config.file.serve?.host ?? DEFAULTS.serve.host;
  const port = ctx.flags.port ?? config.file.serve?.port ?? DEFAULTS.serve.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    ctx.stderr.write(`usagetop: --port: expected 0..65535, got ${String(port)}\n`);
    return 1;
  }
  const token = ctx.flags.token ?? (ctx.env.USAGETOP_SERVE_TOKEN?.trim() || null);
  if (token !== null && token.trim() === "") {
    ctx.stderr.write("usagetop: --token: empty token\n");
    return 1;
  }
  if (!isLoopback(host) && token === null) {
    ctx.stderr.write(
      `usagetop: serve --host ${host} is reachable from other machines: a token is required\nhint: add --token <secret> or set USAGETOP_SERVE_TOKEN; clients then send "Authorization: Bearer <secret>"\n`,
    );
    return 1;
  }

  const startedAt = ctx.now();
  const liveOptions = { now: ctx.now, warn: (m: string) => log(ctx, m) };
  const live = await startLive(config, liveOptions);
  const sources = serveSources({ store: live.store, config, now: ctx.now, startedAt });
  let server;
  try {
    server = await startServer({ host, port, token, sources });
  } catch (err) {
    live.stop();
    const code = (err as NodeJS.ErrnoException).code;
    ctx.stderr.write(`usagetop: cannot listen on ${host}:${port}: ${code === "EADDRINUSE" ? "address in use" : err instanceof Error ? err.message : String(err)}\nhint: --port 0 picks a free port\n`);
    return 1;
  }
  ctx.stdout.write(`listening on ${server.url}\n`);
  const transcripts = startTranscripts(config, live.store, liveOptions);
  const stopFollowing = await followSources(config, live, transcripts);
  const stopAlerts = followAlerts(config, live.store, liveOptions);

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      log(ctx, `${signal}: shutting down`);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  stopAlerts();
  await stopFollowing();
  transcripts.stop();
  live.stop();
  await server.close();
  return 0;
}
