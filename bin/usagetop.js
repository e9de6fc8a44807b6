#!/usr/bin/env node
// Thin entry: everything lives in src/ (compiled and bundled into dist/ by `npm run build`,
// which `npm ci` runs through the prepare script).
import { main } from "../dist/bundle/cli.js";

process.exitCode = await main(process.argv.slice(2), process.env);
