// The claude-cache reader (SPEC 3.2.1b): Claude Code keeps its own last usage body in
// ~/.claude.json as `cachedUsageUtilization`. Zero network, read-only. The file is large and
// rewritten often, so a read that catches it half-written is skipped, never an error worth backing
// off for, and the body counts only for the slot whose account it belongs to.
import { readFileSync } from "node:fs";
import type { Config } from "../config/config.js";
import type { ReadResult } from "../model/meter.js";
import { parseOAuthUsage } from "./parse-oauth.js";
import { readFileBounded } from "./read-bounded.js";
import type { ReadContext, SlotRef, UsageReader } from "./reader.js";

/** ~/.claude.json carries project history and can reach several MB. */
export const CLAUDE_JSON_MAX_BYTES = 20 * 1024 * 1024;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The account a non-active slot belongs to, from its identity sidecar (SPEC 5.1), if any. */
function sidecarAccount(slot: SlotRef): string | null {
  try {
    const json: unknown = JSON.parse(readFileSync(`${slot.credentialsPath}.identity.json`, "utf8"));
    return isRecord(json) && typeof json.accountUuid === "string" ? json.accountUuid : null;
  } catch {
    return null;
  }
}

export function claudeJsonPath(config: Config): string {
  return config.file.readers?.claude_cache?.path ?? config.paths.claudeJson;
}

export const claudeCacheReader: UsageReader = {
  name: "claude_cache",
  perSlot: true,
  intervalSeconds: () => 0,
  enabled: (config: Config) => config.file.readers?.claude_cache?.enabled !== false,
  async read(ctx: ReadContext): Promise<ReadResult> {
    // No slot: no credentials file, so whoever is logged in (~/.claude.json's account) is the
    // account shown, as the active slot's would be.
    const slot = ctx.slot;
    const path = claudeJsonPath(ctx.config);
    const file = await readFileBounded(path, CLAUDE_JSON_MAX_BYTES);
    if (!file.ok) return { ok: false, error: { kind: "unavailable", message: file.message } };
    let json: unknown;
    try {
      json = JSON.parse(file.text);
    } catch {
      return { ok: false, error: { kind: "unavailable", message: `${path}: partly written (Claude Code was saving it); read skipped` } };
    }
    if (!isRecord(json)) return { ok: false, error: { kind: "unavailable", message: `${path}: not a JSON object` } };
    const cached = json.cachedUsageUtilization;
    if (!isRecord(cached)) return { ok: false, error: { kind: "unavailable", message: `${path}: no cachedUsageUtilization` } };
    const { fetchedAtMs, accountUuid, utilization } = cached;
    if (typeof fetchedAtMs !== "number" || !Number.isFinite(fetchedAtMs) || fetchedAtMs <= 0) {
      return { ok: false, error: { kind: "parse", message: `${path}: cachedUsageUtilization.fetchedAtMs must be Unix ms` } };
    }
    if (typeof accountUuid !== "string" || accountUuid === "") {
      return { ok: false, error: { kind: "parse", message: `${path}: cachedUsageUtilization.accountUuid missing` } };
    }
    const live = isRecord(json.oauthAccount) && typeof json.oauthAccount.accountUuid === "string" ? json.oauthAccount.accountUuid : null;
    const owner = slot === null || slot.active ? live : sidecarAccount(slot);
    if (owner === null) {
      const why = slot === null || slot.active ? `${path}: no oauthAccount.accountUuid` : `slot ${slot.name} has no identity sidecar (usagetop slots baseline ${slot.name})`;
      return { ok: false, error: { kind: "unavailable", message: `cannot tell whose cached usage this is: ${why}` } };
    }
    if (owner !== accountUuid) {
      const whose = slot === null ? "the account logged in" : `slot ${slot.name}`;
      return { ok: false, error: { kind: "unavailable", message: `${path}: cached usage belongs to another account than ${whose}` } };
    }
    const parsed = parseOAuthUsage(utilization, new Date(fetchedAtMs), "claude_cache");
    if (!parsed.ok) return { ok: false, error: { kind: "parse", message: `${path}: cachedUsageUtilization.utilization: ${parsed.error.message}` } };
    const notes = [...parsed.notes];
    const reason = json.cachedExtraUsageDisabledReason;
    if (typeof reason === "string" && reason !== "" && !notes.some((n) => n.startsWith("extra usage disabled"))) {
      notes.push(`extra usage disabled: ${reason.slice(0, 60)}`);
    }
    return { ok: true, meters: parsed.meters, warnings: parsed.warnings, notes };
  },
};
