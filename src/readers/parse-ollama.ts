// Ollama `GET /api/ps` (SPEC 3.2.8): the models loaded now, each with the bytes it holds in VRAM.
// Pure. The meter is the sum against a budget the user sets; Ollama itself reports no limit.
import * as z from "zod/mini";
import { labelFor } from "../model/kinds.js";
import type { Meter } from "../model/meter.js";
import "../config/zod-english.js"; // issue messages in the error below

const PsSchema = z.looseObject({
  models: z.nullish(
    z.array(
      z.looseObject({
        name: z.optional(z.string().check(z.maxLength(500))),
        model: z.optional(z.string().check(z.maxLength(500))),
        size: z.optional(z.number().check(z.nonnegative())),
        size_vram: z.optional(z.number().check(z.nonnegative())),
      }),
    ),
  ),
});

export type OllamaPs = { meters: Meter[]; models: Array<{ name: string; sizeVram: number }> } | { error: string };

/** `body` is the parsed JSON of /api/ps; `budgetBytes` from `readers.ollama.vram_budget_bytes`. */
export function parseOllamaPs(body: unknown, budgetBytes: number | null, observedAt: Date): OllamaPs {
  const parsed = PsSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: `/api/ps field ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}` };
  }
  const models = (parsed.data.models ?? []).map((m) => ({ name: m.name ?? m.model ?? "?", sizeVram: m.size_vram ?? 0 }));
  const used = models.reduce((sum, m) => sum + m.sizeVram, 0);
  const budget = budgetBytes !== null && budgetBytes > 0 ? budgetBytes : null;
  const meter: Meter = {
    kind: "local_vram",
    label: labelFor("local_vram"),
    utilisation: budget === null ? null : (used / budget) * 100,
    resetsAt: null,
    windowSeconds: null,
    used,
    unit: "bytes",
    source: "ollama",
    observedAt,
    estimated: false,
  };
  if (budget !== null) meter.limit = budget;
  return { meters: [meter], models };
}
