// Every live reader, in degradation-chain priority order (SPEC 3.3). Adding a reader is one line.
import { claudeCacheReader } from "./claude-cache.js";
import { headersReader } from "./headers.js";
import { oauthReader } from "./oauth.js";
import type { UsageReader } from "./reader.js";
import { statuslineReader } from "./statusline.js";
import { usageScriptReader } from "./usage-script.js";

export const READERS: UsageReader[] = [
  oauthReader,
  claudeCacheReader,
  statuslineReader,
  headersReader,
  usageScriptReader,
];
