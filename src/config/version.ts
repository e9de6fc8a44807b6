// usagetop's own version, from package.json (for --version and the User-Agent header). Read once;
// the path is relative to dist/<folder>/ and dist/bundle/ alike.
import { readFileSync } from "node:fs";

let cached: string | null = null;

export function usagetopVersion(): string {
  if (cached === null) {
    try {
      const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown };
      cached = typeof pkg.version === "string" ? pkg.version : "0.0.0";
    } catch {
      cached = "0.0.0";
    }
  }
  return cached;
}
