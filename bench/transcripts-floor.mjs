#!/usr/bin/env node
// The floor for reading Claude Code transcripts in Node: the least any Node program can do to
// total their usage. Reads every byte in 1 MB chunks, finds the lines, JSON.parses each line that
// holds `"usage"` and sums one field. No dedup, no index, no report, no output to speak of.
// bench/transcripts.mjs times it beside usagetop and ccusage, so the cold figures can be read
// against what Node itself costs on the same bytes.
//   node bench/transcripts-floor.mjs <claude-config-dir>
import { closeSync, openSync, readdirSync, readSync } from "node:fs";
import { join } from "node:path";

const files = [];
const walk = (d) => {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith(".jsonl")) files.push(p);
  }
};
walk(join(process.argv[2], "projects"));

const USAGE = Buffer.from('"usage"');
const buf = Buffer.allocUnsafe(1 << 20);
let lines = 0;
let input = 0;
for (const f of files) {
  const fd = openSync(f, "r");
  let pos = 0;
  let carry = null;
  for (let n; (n = readSync(fd, buf, 0, buf.length, pos)) > 0; pos += n) {
    const data = carry ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
    carry = null;
    let i = 0;
    let u = data.indexOf(USAGE);
    for (let nl = data.indexOf(10); nl >= 0; i = nl + 1, nl = data.indexOf(10, i)) {
      if (u >= 0 && u < i) u = data.indexOf(USAGE, i);
      if (u < 0 || u >= nl) continue;
      try {
        input += JSON.parse(data.toString("utf8", i, nl)).message?.usage?.input_tokens ?? 0;
        lines++;
      } catch {
        // torn line
      }
    }
    if (i < data.length) carry = Buffer.from(data.subarray(i));
  }
  closeSync(fd);
}
console.log(JSON.stringify({ files: files.length, lines, input }));
