import type { CommandContext } from "./context.js";

export default async function run(ctx: CommandContext): Promise<number> {
  ctx.stderr.write("usagetop: '--once' is not built yet\n");
  return 1;
}
