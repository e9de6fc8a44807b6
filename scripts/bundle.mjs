// Bundles dist/cli.js into dist/bundle/ (code-split, so the TUI's ink/react stay in chunks that
// only the TUI imports). One file per command path instead of ~100 modules: fewer module
// resolutions at startup, which is most of a short command's cost (see bench/startup.mjs).
// dist/bundle/ sits at the same depth as dist/<folder>/, so `new URL("../../fixtures/...",
// import.meta.url)` resolves the same from both.
import { createHash } from "node:crypto";
import { renameSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

// Built beside and swapped in, so a usagetop already running from dist/bundle (or a parallel
// build) never sees a half-written or emptied folder; chunk names carry content hashes, so the
// old folder is removed whole rather than overwritten.

/**
 * meow's pre-bundled dependencies carry normalize-package-data (spdx-correct's tables, semver,
 * hosted-git-info) and @babel/code-frame, for reading and normalising a package.json and for
 * showing where one fails to parse. usagetop hands meow its package facts (`pkg`) and never reads
 * `cli.pkg`, so neither is ever called: replace both with stubs that say so if they ever are, and
 * esbuild drops their code (meow's chunk 180 -> 69 KB, ~3.5 ms less start-up for every command,
 * median in-process over 15 alternating runs). And a leftover of read-package-up,
 * `promisify(execFile);` with its result unused, loads node:child_process (and with it net and
 * dgram, ~4 ms of every start): drop the statement and its import. Exact-text patches: a meow
 * upgrade that changes them fails the build instead of silently bundling something else.
 */
const MEOW_PATCHES = [
  ["var libExports = requireLib$1();", "var libExports = { codeFrameColumns: () => { throw new Error('usagetop: @babel/code-frame is not bundled'); } };"],
  [
    "var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);",
    "const normalizePackageData = () => { throw new Error('usagetop: normalize-package-data is not bundled'); };",
  ],
  ["import { execFile } from 'node:child_process';\n", ""],
  ["\npromisify(execFile);\n", "\n"],
];
const meowTrim = {
  name: "meow-trim",
  setup(b) {
    b.onLoad({ filter: /meow[\\/]build[\\/]dependencies\.js$/ }, async (args) => {
      let text = await readFile(args.path, "utf8");
      for (const [from, to] of MEOW_PATCHES) {
        if (!text.includes(from)) throw new Error(`meow-trim: ${JSON.stringify(from.slice(0, 40))} not found in ${args.path}; review the patch for this meow version`);
        text = text.replace(from, to);
      }
      return { contents: text, loader: "js" };
    });
  },
};

/**
 * Ink builds a new `Output` (node_modules/ink/build/output.js) for every frame: a grid of one
 * object per cell and caches that die with the frame, most of the TUI's idle CPU and garbage.
 * src/ui/ink-output.ts is a drop-in with caches that outlive the frame, proved equal to this exact
 * file by src/ui/ink-output.test.ts. Pinned by content: an Ink upgrade that changes the file (or
 * how the renderer uses it) fails the build until the test has been run against the new one.
 */
const INK_OUTPUT_SHA256 = "de9078c7fc647c40cf9e32d6658fcbbee91dae9e3f6334e5f4ebfc5905fc401d";
const INK_RENDERER_USES = ["import Output from './output.js';", "const output = new Output({", "output.get();"];
let inkOutputSubstituted = false;
const inkOutputSubstitute = {
  name: "ink-output-substitute",
  setup(b) {
    const substitute = fileURLToPath(new URL("../dist/ui/ink-output.js", import.meta.url));
    // The substitute uses Ink's own helpers (tokenizer, widths, slicing): resolve them from Ink's
    // folder, so it gets the very copies Ink would have used, whatever npm nests or hoists.
    let inkBuildDir = null;
    b.onResolve({ filter: /^(string-width|slice-ansi|@alcalzone\/ansi-tokenize)$/ }, async (args) => {
      if (args.importer !== substitute || inkBuildDir === null) return undefined;
      return b.resolve(args.path, { kind: args.kind, resolveDir: inkBuildDir });
    });
    b.onLoad({ filter: /ink[\\/]build[\\/]renderer\.js$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      for (const use of INK_RENDERER_USES) {
        if (!text.includes(use)) throw new Error(`ink-output-substitute: ${JSON.stringify(use)} not found in ${args.path}; review src/ui/ink-output.ts for this Ink version`);
      }
      return { contents: text, loader: "js" };
    });
    b.onLoad({ filter: /ink[\\/]build[\\/]output\.js$/ }, async (args) => {
      const sha = createHash("sha256").update(await readFile(args.path)).digest("hex");
      inkBuildDir = dirname(args.path);
      if (sha !== INK_OUTPUT_SHA256) {
        throw new Error(`ink-output-substitute: ${args.path} is not the file src/ui/ink-output.ts was proved against (sha256 ${sha}); run src/ui/ink-output.test.ts against it, then update INK_OUTPUT_SHA256`);
      }
      return { contents: `export { default } from ${JSON.stringify(substitute)};`, loader: "js" };
    });
    b.onEnd(() => {
      inkOutputSubstituted = inkBuildDir !== null;
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
  plugins: [zodMiniOnly, meowTrim, inkOutputSubstitute],
  // Less to parse at every start; identifiers are kept so --debug stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning",
});
// Ink's files moved or renamed: say so rather than ship Ink's per-frame grid again unnoticed.
if (!inkOutputSubstituted) {
  rmSync(next, { recursive: true, force: true });
  throw new Error("ink-output-substitute: ink/build/output.js was never bundled; review src/ui/ink-output.ts for this Ink version");
}
try {
  renameSync("dist/bundle", old);
} catch {
  // first build: nothing to move aside
}
renameSync(next, "dist/bundle");
rmSync(old, { recursive: true, force: true });
