// The hash tier of the dedup keys (usage-ledger.ts) as the transcript index stores it: 53-bit
// key hashes as little-endian float64s, base64 in the index, one block per snapshot or journal
// line. A warm run that reads nothing new never looks at them; one that reads a few new calls
// decodes the blocks into a sorted array and binary-searches it, instead of building a Set of
// every key ever retired (a heavy user has hundreds of thousands).
import type { RetiredKeys } from "../model/usage-ledger.js";

function decode(encoded: string): Float64Array {
  if (encoded === "") return new Float64Array(0);
  const bytes = Buffer.from(encoded, "base64");
  const out = new Float64Array(Math.floor(bytes.length / 8));
  Buffer.from(out.buffer).set(bytes.subarray(0, out.length * 8));
  return out;
}

export function encodeHashes(hashes: Float64Array | readonly number[]): string {
  const arr = hashes instanceof Float64Array ? hashes : Float64Array.from(hashes);
  return Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength).toString("base64");
}

function contains(sorted: Float64Array, x: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === x) return true;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export class RetiredKeySet implements RetiredKeys {
  private sorted: Float64Array | null = null;
  /** Hashes retired in this run, in order: a journal line stores just these. */
  private readonly added: number[] = [];
  private readonly addedSet = new Set<number>();

  /** `blocks`: base64 blocks as stored (snapshot first, then journal lines). */
  constructor(private readonly blocks: readonly string[]) {}

  private load(): Float64Array {
    if (this.sorted) return this.sorted;
    const parts = this.blocks.map(decode);
    const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    this.sorted = all.sort();
    return this.sorted;
  }

  private get blocksEmpty(): boolean {
    return this.blocks.every((b) => b === "");
  }

  get empty(): boolean {
    return this.added.length === 0 && this.blocksEmpty;
  }

  has(hash: number): boolean {
    return this.addedSet.has(hash) || contains(this.load(), hash);
  }

  add(hash: number): void {
    if (this.addedSet.has(hash) || (!this.blocksEmpty && contains(this.load(), hash))) return;
    this.added.push(hash);
    this.addedSet.add(hash);
  }

  get changed(): boolean {
    return this.added.length > 0;
  }

  /** The hashes retired in this run, encoded. */
  encodeAdded(): string {
    return encodeHashes(this.added);
  }

  /** Every hash, sorted and encoded: a snapshot's block. */
  encodeAll(): string {
    if (this.added.length === 0 && this.blocks.length === 1) return this.blocks[0]!;
    const base = this.load();
    const all = new Float64Array(base.length + this.added.length);
    all.set(base);
    all.set(this.added, base.length);
    return encodeHashes(all.sort());
  }
}
