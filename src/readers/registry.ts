// Every live reader, in degradation-chain priority order (SPEC 3.3). Adding a reader is one line.
import { claudeCacheReader } from "./claude-cache.js";
import { codexReader } from "./codex.js";
import { headersReader } from "./headers.js";
import { oauthReader } from "./oauth.js";
import { ollamaReader } from "./ollama.js";
import type { UsageReader } from "./reader.js";
import { statuslineReader } from "./statusline.js";
import { transcriptsReader } from "./transcripts.js";
import { usageScreenReader } from "./usage-screen.js";
import { usageScriptReader } from "./usage-script.js";

export const READERS: UsageReader[] = [
  oauthReader,
  claudeCacheReader,
  statuslineReader,
  headersReader,
  usageScreenReader,
  usageScriptReader,
  transcriptsReader,
  codexReader,
  ollamaReader,
];
