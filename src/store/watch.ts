// Change events for the local sources (SPEC 3.3: claude-cache, headers, statusline, codex and
// transcripts are read "on change"), for the live views. One chokidar watcher over every path that
// exists; bursts of events (a streaming transcript, an editor's save) collapse into one callback.
// Kept apart from the readers so one-shot commands never load chokidar.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { watch } from "chokidar";
import type { Config } from "../config/config.js";
import { codexHome } from "../readers/codex.js";
import { headersPath } from "../readers/headers.js";
import { statusRecordDir } from "../readers/statusline-record.js";
import { transcriptProjectDirs } from "../readers/transcripts.js";

export type SourceKind = "transcripts" | "local";
export type SourceWatch = { ready: Promise<void>; close: () => Promise<void>; paths: string[] };

/** What to watch, by what a change there means: transcripts feed the cost views, the rest meters. */
export function watchedPaths(config: Config): Array<{ path: string; kind: SourceKind }> {
  const out: Array<{ path: string; kind: SourceKind }> = [];
  for (const path of transcriptProjectDirs(config)) out.push({ path, kind: "transcripts" });
  out.push({ path: join(codexHome(config), "sessions"), kind: "local" });
  out.push({ path: statusRecordDir(config.paths.stateDir), kind: "local" });
  out.push({ path: config.paths.claudeJson, kind: "local" });
  const headers = headersPath(config);
  if (headers) out.push({ path: headers, kind: "local" });
  return out.filter((p) => existsSync(p.path));
}

export function watchSources(
  config: Config,
  onChange: (kinds: ReadonlySet<SourceKind>) => void,
  debounceMs = 150,
): SourceWatch {
  const targets = watchedPaths(config);
  const kindOf = (file: string): SourceKind =>
    targets.find((t) => file === t.path || file.startsWith(`${t.path}/`))?.kind ?? "local";
  let pending = new Set<SourceKind>();
  let timer: NodeJS.Timeout | null = null;
  const fire = (file: string) => {
    pending.add(kindOf(file));
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      const kinds = pending;
      pending = new Set();
      onChange(kinds);
    }, debounceMs);
  };
  if (targets.length === 0) return { ready: Promise.resolve(), close: async () => {}, paths: [] };
  const watcher = watch(
    targets.map((t) => t.path),
    // Our own atomic writes (".name.tmp-...") and editors' swap files are not changes.
    { ignoreInitial: true, ignored: (p: string) => /\/\.[^/]*\.tmp-|\.swp$/.test(p) },
  );
  watcher.on("add", fire).on("change", fire).on("unlink", fire);
  watcher.on("error", () => undefined);
  const ready = new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  return {
    ready,
    paths: targets.map((t) => t.path),
    close: async () => {
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
}
