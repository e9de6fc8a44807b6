#!/usr/bin/env node
// Thin entry: everything lives in src/ (compiled to dist/ by `npm run build`, run by `npm ci`).
import { main } from "../dist/cli.js";

process.exitCode = await main(process.argv.slice(2), process.env);
