// zod/mini loads no issue messages: without this every issue reads just "Invalid input". The
// places that show a zod issue to the user (a corrupt state file's field, a bad Codex rollout or
// Ollama line, a config fallback) import this for the English words classic zod gives by
// default. One locale is ~3 KB; classic zod's whole API, which would bring it, is ~290 KB.
import { config } from "zod/mini";
import en from "zod/v4/locales/en.js";

config(en());
