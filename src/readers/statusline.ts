// The statusline reader (SPEC 3.2.2): serves the rate limits `usagetop statusline` recorded from
// Claude Code's stdin while they are younger than `readers.statusline.max_age` (10 min).
import type { Config } from "../config/config.js";
import type { Meter, ReadResult } from "../model/meter.js";
import { statusMeters } from "./parse-statusline.js";
import type { ReadContext, UsageReader } from "./reader.js";
import { loadStatusRecords } from "./statusline-record.js";

export const STATUS_DEFAULT_MAX_AGE_SECONDS = 600;

export function statusMaxAge(config: Config): number {
  return config.file.readers?.statusline?.max_age ?? STATUS_DEFAULT_MAX_AGE_SECONDS;
}

export const statuslineReader: UsageReader = {
  name: "statusline",
  perSlot: false,
  intervalSeconds: () => 0,
  enabled: (config: Config) => config.file.readers?.statusline?.enabled !== false,
  async read(ctx: ReadContext): Promise<ReadResult> {
    const maxAge = statusMaxAge(ctx.config);
    const { records, warnings } = loadStatusRecords(ctx.config.paths.stateDir, ctx.now, maxAge);
    if (records.length === 0) {
      return {
        ok: false,
        error: { kind: "unavailable", message: `no status-line record younger than ${Math.round(maxAge / 60)}m (is \`usagetop statusline\` Claude Code's statusLine command?)` },
      };
    }
    // Rate limits are per account, so every session reports the same windows: the newest wins.
    const meters = new Map<string, Meter>();
    for (const r of records) for (const m of statusMeters(r.windows, r.observedAt)) meters.set(m.kind, m);
    if (meters.size === 0) {
      return {
        ok: false,
        error: {
          kind: "unavailable",
          message: "status line carries no rate_limits (API-key login, Claude Code before 2.1.80, or no reply yet in the session)",
        },
      };
    }
    const newest = records.at(-1)!;
    return { ok: true, meters: [...meters.values()], warnings, raw: { sessionId: newest.sessionId, model: newest.model, costUsd: newest.costUsd } };
  },
};
