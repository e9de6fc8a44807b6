// Change events for the headers path, for the TUI (SPEC 3.2.3: "watched with chokidar"). Kept
// apart from the reader so that one-shot commands never load chokidar.
import { basename } from "node:path";
import { watch } from "chokidar";

export type HeadersWatch = { ready: Promise<void>; close: () => Promise<void> };

/** For the TUI: call `onChange(file)` when a capture is added or rewritten under `path`. */
export function watchHeaders(path: string, onChange: (file: string) => void): HeadersWatch {
  const watcher = watch(path, {
    ignoreInitial: true,
    depth: 0,
    // Harnesses write dumps in pieces; report a file once it stopped growing.
    awaitWriteFinish: { stabilityThreshold: 75, pollInterval: 25 },
    ignored: (p: string) => basename(p).startsWith(".") && p !== path,
  });
  watcher.on("add", onChange).on("change", onChange);
  watcher.on("error", () => undefined);
  const ready = new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  return { ready, close: () => watcher.close() };
}
