// A usagetop-like process for test/e2e/cache-concurrency.test.ts: it imports the compiled store
// (run `npm run build` first), waits at the test server's barrier so all children start together,
// then does one store operation and prints what happened as one JSON line.
//
//   node store-child.mjs <mode> <stateDir> <serverUrl> <index> [waitMs]
//   mode read    cachedRead of slot "alice"; the read is a GET <serverUrl>/usage, counted by the server
//   mode update  under the slot lock, increment the oauth entry's failure counter (lost updates show)
//   mode atomic  writeFileAtomic of a large file, no lock (readers must never see a torn file)
//   mode history append 50 samples of kind k<index> to the slot's history
import { writeFileAtomic } from "../../dist/store/atomic-file.js";
import { cacheLockPath, entryOf, loadCache, writeCacheEntry } from "../../dist/store/cache.js";
import { cachedRead } from "../../dist/store/cached-read.js";
import { MeterHistory } from "../../dist/store/history.js";
import { withLock } from "../../dist/store/lock.js";
import { join } from "node:path";

const [mode, stateDir, url, indexText] = process.argv.slice(2);
const index = Number(indexText);
// The product waits 5 s for a lock holder; tests on a loaded 2-core machine may allow longer, so a
// slow scheduler does not turn "waited for the holder" into "gave up waiting".
const waitMs = process.argv[6] ? Number(process.argv[6]) : 5000;

await fetch(`${url}/ready`).then((r) => r.text());

if (mode === "read") {
  const r = await cachedRead({
    stateDir,
    slot: "alice",
    reader: "oauth",
    intervalSeconds: 180,
    waitMs,
    read: async () => {
      const res = await fetch(`${url}/usage`);
      const body = await res.json();
      const now = new Date();
      return {
        ok: true,
        meters: [
          {
            kind: "five_hour",
            label: "5h session",
            utilisation: body.five_hour.utilization,
            resetsAt: new Date(body.five_hour.resets_at),
            windowSeconds: 18000,
            source: "oauth",
            observedAt: now,
            estimated: false,
          },
        ],
      };
    },
  });
  const u = r.result.ok ? r.result.meters[0].utilisation : null;
  process.stdout.write(`${JSON.stringify({ outcome: r.outcome, fromCache: r.fromCache, ok: r.result.ok, u })}\n`);
} else if (mode === "update") {
  const r = await withLock(
    cacheLockPath(stateDir, "alice"),
    () => {
      const now = new Date();
      const prev = entryOf(loadCache(stateDir, "alice", { now, moveAside: true }).file, "oauth");
      const failures = (prev?.failures ?? 0) + 1;
      writeCacheEntry(
        stateDir,
        "alice",
        "oauth",
        { lastGood: null, lastAttempt: { at: now, ok: false, error: { kind: "network", message: `child ${index}` } }, failures, nextAttemptAt: now },
        now,
      );
      return failures;
    },
    { waitMs: 20_000 },
  );
  process.stdout.write(`${JSON.stringify(r)}\n`);
} else if (mode === "atomic") {
  const payload = JSON.stringify({ writer: index, filler: "x".repeat(256 * 1024) });
  for (let i = 0; i < 5; i++) writeFileAtomic(join(stateDir, "big.json"), payload);
  process.stdout.write(`${JSON.stringify({ done: index })}\n`);
} else if (mode === "history") {
  const h = MeterHistory.load(stateDir, "alice", new Date());
  const base = Date.now() - 3600_000;
  let n = 0;
  for (let i = 0; i < 50; i++) if (h.append(`k${index}`, base + i * 1000, i, new Date())) n++;
  process.stdout.write(`${JSON.stringify({ appended: n })}\n`);
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exitCode = 2;
}
