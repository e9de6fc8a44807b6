// `usagetop --once [--json]`: one frame of text or one JSON document (SPEC 6.1, 6.2), then exit.
// Exit 3 when no reader produced a meter and nothing is cached.
import { snapshotDocument } from "../model/snapshot-document.js";
import { collectStore, slotSummaries } from "../store/collect.js";
import { renderFrame } from "../ui/plain/frame.js";
import type { CommandContext } from "./context.js";

export const EXIT_NO_DATA = 3;

export default async function run(ctx: CommandContext): Promise<number> {
  const config = ctx.config();
  const now = ctx.now();
  const store = await collectStore(config, { now });
  const view = store.current(now);
  const slots = slotSummaries(store, now);
  const noData = view.meters.length === 0;
  // What went wrong around the reads (a broken live link, an unwritable state dir), said once on
  // stderr: stdout stays the frame or the document.
  for (const { message } of store.log) ctx.stderr.write(`usagetop: warning: ${message}\n`);
  if (ctx.flags.json) {
    ctx.stdout.write(`${JSON.stringify(snapshotDocument({ view, generatedAt: now, slots }), null, 2)}\n`);
  } else {
    const width = Math.max(60, Math.min(250, ctx.stdout.columns ?? Number(ctx.env.COLUMNS ?? 80) ?? 80));
    ctx.stdout.write(`${renderFrame(view, slots, { width, color: config.color, now, timeZone: config.timezone ?? undefined })}\n`);
  }
  if (noData) {
    const errors = view.readers.filter((r) => r.error).map((r) => `${r.name}: ${r.error}`);
    ctx.stderr.write(`usagetop: no usable data${errors.length ? ` (${errors.join("; ")})` : ": no reader is configured or produced a meter"}\n`);
    return EXIT_NO_DATA;
  }
  return 0;
}
