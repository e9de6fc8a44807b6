// Placeholder until its issue lands: says so plainly and exits 1 (never reported as done).
import type { CommandContext } from "./context.js";

export default async function run(ctx: CommandContext): Promise<number> {
  ctx.stderr.write("usagetop: 'switch' is not built yet\n");
  return 1;
}
