// `usagetop serve [--port 9469] [--host 127.0.0.1] [--token T]` (SPEC 6.4): the store kept live by
// the scheduler (one poll per interval per slot across processes, whatever the request rate),
// served as JSON and Prometheus metrics from memory. A non-loopback host needs a token (flag or
// USAGETOP_SERVE_TOKEN) and is refused before binding without one. Alerts run here too.
// The first stdout line is `listening on http://HOST:PORT`; SIGINT/SIGTERM shut down gracefully.
import type { Config } from "../config/config.js";
import { DEFAULTS } from "../config/defaults.js";
import { readTranscriptUsage } from "../readers/transcripts.js";
import { governingObservations, runAlerts } from "../store/alerts.js";
import { collectStore, demoStore, refreshDemo } from "../store/collect.js";
import type { SlotInfo, UsageStore } from "../store/store.js";
import { isLoopback, startServer } from "../ui/http/server.js";
import { allViews, serveSources } from "../ui/http/sources.js";
import type { CommandContext } from "./context.js";

/** Transcripts are re-read this often (incremental: only appended bytes). */
const TRANSCRIPT_REFRESH_MS = 30_000;

type Live = { store: UsageStore; stop: () => void };

async function slotInfos(config: Config, now: Date): Promise<SlotInfo[]> {
  const { checkSlots } = await import("../slots/check-auth.js");
  return checkSlots(config, now).slots.map((c) => ({
    name: c.name,
    active: c.active,
    auth: c.state,
    plan: c.subscriptionType,
    email: c.identity?.email ?? null,
    tokenExpiresAt: c.expiresAt,
  }));
}

function log(ctx: CommandContext, message: string): void {
  ctx.stderr.write(`${ctx.now().toISOString()} ${message}\n`);
}

async function startLive(config: Config, ctx: CommandContext): Promise<Live> {
  if (config.demo) {
    const store = demoStore(config, ctx.now());
    const timer = setInterval(() => refreshDemo(store, ctx.now()), 1000);
    return { store, stop: () => clearInterval(timer) };
  }
  const [{ READERS }, { startPolling }, { discoverSlots }] = await Promise.all([
    import("../readers/registry.js"),
    import("../store/scheduler.js"),
    import("../slots/layout.js"),
  ]);
  const store = await collectStore(config, { now: ctx.now(), readers: [] });
  try {
    store.setSlots(await slotInfos(config, ctx.now()));
  } catch (err) {
    log(ctx, `slots: ${err instanceof Error ? err.message : String(err)}`);
  }
  const polling = startPolling(store, {
    config,
    readers: READERS,
    slots: discoverSlots(config),
    now: ctx.now,
    onError: (err) => log(ctx, `poll failed: ${err instanceof Error ? err.message : String(err)}`),
  });
  return { store, stop: polling.stop };
}

function startTranscripts(config: Config, ctx: CommandContext, store: UsageStore): () => void {
  if (config.file.readers?.transcripts?.enabled === false) return () => {};
  const read = () => {
    try {
      store.setTranscripts(readTranscriptUsage(config, ctx.now(), store.slots.find((s) => s.active)?.name));
    } catch (err) {
      log(ctx, `transcripts: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const first = setTimeout(read, 10);
  const timer = setInterval(read, TRANSCRIPT_REFRESH_MS);
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}

/** Runs alerts after store changes settle (a round ingests many entries at once). */
function startAlerts(config: Config, ctx: CommandContext, store: UsageStore): () => void {
  if ((config.file.alerts?.thresholds ?? []).length === 0 || config.demo) return () => {};
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    try {
      const now = ctx.now();
      const out = await runAlerts({ config, observations: governingObservations(allViews(store, now)), now });
      for (const c of out.crossings) log(ctx, `alert: ${c.slot ?? "-"} ${c.kind} at ${c.utilisation.toFixed(1)}% crossed ${c.threshold}%`);
      for (const e of out.errors) log(ctx, e);
    } catch (err) {
      log(ctx, `alerts: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      running = false;
    }
  };
  const onChange = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void check(), 200);
  };
  store.on("change", onChange);
  return () => {
    store.off("change", onChange);
    if (timer) clearTimeout(timer);
  };
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
  const live = await startLive(config, ctx);
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
  const stopTranscripts = startTranscripts(config, ctx, live.store);
  const stopAlerts = startAlerts(config, ctx, live.store);

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
  stopTranscripts();
  live.stop();
  await server.close();
  return 0;
}
