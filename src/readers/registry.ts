// Every live reader, in degradation-chain priority order (SPEC 3.3). Adding a reader is one line.
import type { UsageReader } from "./reader.js";

export const READERS: UsageReader[] = [];
