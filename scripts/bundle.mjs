// Bundles dist/cli.js into dist/bundle/ (code-split, so the TUI's ink/react stay in chunks that
// only the TUI imports). One file per command path instead of ~100 modules: fewer module
// resolutions at startup, which is most of a short command's cost (see bench/startup.mjs).
// dist/bundle/ sits at the same depth as dist/<folder>/, so `new URL("../../fixtures/...",
// import.meta.url)` resolves the same from both.
import { rmSync } from "node:fs";
import { build } from "esbuild";

// Chunk names carry content hashes: clear the old ones so dist/ holds exactly one build.
rmSync("dist/bundle", { recursive: true, force: true });

await build({
  entryPoints: ["dist/cli.js"],
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outdir: "dist/bundle",
  // Ink imports react-devtools-core only when DEV is set; it is not a dependency.
  external: ["react-devtools-core"],
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __usagetopRequire } from 'node:module'; const require = __usagetopRequire(import.meta.url);" },
  logLevel: "warning",
});
