// Bundles dist/cli.js into dist/bundle/ (code-split, so the TUI's ink/react stay in chunks that
// only the TUI imports). One file per command path instead of ~100 modules: fewer module
// resolutions at startup, which is most of a short command's cost (see bench/startup.mjs).
// dist/bundle/ sits at the same depth as dist/<folder>/, so `new URL("../../fixtures/...",
// import.meta.url)` resolves the same from both.
import { renameSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { build } from "esbuild";

// Built beside and swapped in, so a usagetop already running from dist/bundle (or a parallel
// build) never sees a half-written or emptied folder; chunk names carry content hashes, so the
// old folder is removed whole rather than overwritten.

/**
 * meow's pre-bundled dependencies initialise normalize-package-data (spdx-correct's tables, semver's
 * regexes) and @babel/code-frame when the module loads: about 12 ms of every start, for functions
 * usagetop never calls (it hands meow its package facts, so nothing is read or normalised). Make
 * those two initialisations lazy: the same code runs on first use, if ever. Exact-text patches:
 * a meow upgrade that changes them fails the build instead of silently bundling something else.
 */
const MEOW_LAZY = [
  ["var libExports = requireLib$1();", "var libExports = { codeFrameColumns: (...a) => requireLib$1().codeFrameColumns(...a) };"],
  [
    "var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);",
    "const normalizePackageData = (...a) => getDefaultExportFromCjs(requireNormalize())(...a);",
  ],
];
const meowLazyInit = {
  name: "meow-lazy-init",
  setup(b) {
    b.onLoad({ filter: /meow[\\/]build[\\/]dependencies\.js$/ }, async (args) => {
      let text = await readFile(args.path, "utf8");
      for (const [from, to] of MEOW_LAZY) {
        if (!text.includes(from)) throw new Error(`meow-lazy-init: ${JSON.stringify(from.slice(0, 40))} not found in ${args.path}; review the patch for this meow version`);
        text = text.replace(from, to);
      }
      return { contents: text, loader: "js" };
    });
  },
};

const next = `dist/bundle.next-${process.pid}`;

/**
 * usagetop's schemas use zod/mini, whose functional API tree-shakes to the ~45 KB of zod's core
 * they need. Classic zod (`import { z } from "zod"`) would bring its whole method-chaining API
 * and, through `z.locales`, every error-message language: ~750 KB, tens of ms at every start.
 * Fail the build rather than let it slip back in unnoticed.
 */
const zodMiniOnly = {
  name: "zod-mini-only",
  setup(b) {
    b.onResolve({ filter: /^zod(\/v4|\/v3|\/v4\/classic)?$/ }, (args) => ({
      errors: [{ text: `${args.importer} imports classic "${args.path}": use "zod/mini" (start-up time, see scripts/bundle.mjs)` }],
    }));
  },
};
const old = `dist/bundle.old-${process.pid}`;
await build({
  entryPoints: ["dist/cli.js"],
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outdir: next,
  // Ink imports react-devtools-core only when DEV is set; it is not a dependency.
  external: ["react-devtools-core"],
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __usagetopRequire } from 'node:module'; const require = __usagetopRequire(import.meta.url);" },
  plugins: [zodMiniOnly, meowLazyInit],
  // Less to parse at every start; identifiers are kept so --debug stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning",
});
try {
  renameSync("dist/bundle", old);
} catch {
  // first build: nothing to move aside
}
renameSync(next, "dist/bundle");
rmSync(old, { recursive: true, force: true });
