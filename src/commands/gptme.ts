// `usagetop gptme --json [--no-cache]` (SPEC 2.6, 3.2.5, 6.1): gptme-subscription's usage-script
// contract, so `--usage-script "usagetop gptme"` drops usagetop in where a script was. One round
// of reads through the shared cache (no extra polls), then the contract JSON. With no usable data
// it prints `{"error": ...}` (the contract's failure shape) and exits 3.
import { gptmeUsage } from "../model/gptme-contract.js";
import { collectStore } from "../store/collect.js";
import type { CommandContext } from "./context.js";
import { EXIT_NO_DATA } from "./once.js";

export default async function run(ctx: CommandContext): Promise<number> {
  if (!ctx.flags.json) {
    ctx.stderr.write("usagetop: gptme prints JSON only\nhint: usagetop gptme --json [--no-cache]\n");
    return 1;
  }
  const config = ctx.config();
  const now = ctx.now();
  const store = await collectStore(config, { now });
  const view = store.current(now);
  const doc = gptmeUsage(view, now);
  const windows = Object.keys(doc).filter((k) => !k.startsWith("_"));
  if (windows.length === 0) {
    const errors = view.readers.filter((r) => r.error).map((r) => `${r.name}: ${r.error}`);
    const error = `no usable data${errors.length ? ` (${errors.join("; ")})` : ": no reader is configured or produced a meter"}`;
    ctx.stdout.write(`${JSON.stringify({ error, _source: "usagetop", _generated_at: now.toISOString() })}\n`);
    ctx.stderr.write(`usagetop: ${error}\n`);
    return EXIT_NO_DATA;
  }
  ctx.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  return 0;
}
