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
  /** `added`, sorted, for has(); rebuilt when adds came since (a run retires at its end, so rarely). */
  private addedSorted: Float64Array = new Float64Array(0);

  private readonly blocksEmpty: boolean;

  /** `blocks`: base64 blocks as stored (snapshot first, then journal lines). */
  constructor(private readonly blocks: readonly string[]) {
    this.blocksEmpty = blocks.every((b) => b === "");
  }

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

  get empty(): boolean {
    return this.added.length === 0 && this.blocksEmpty;
  }

  has(hash: number): boolean {
    if (this.addedSorted.length !== this.added.length) this.addedSorted = Float64Array.from(this.added).sort();
    return contains(this.addedSorted, hash) || contains(this.load(), hash);
  }

  /**
   * Only the stored blocks are checked for the hash: within one run each key is retired once, so a
   * repeat here is a collision of two keys, harmless (the snapshot's encodeAll drops repeats). A
   * Set over this run's hashes cost more than everything else a cold read's retiring does.
   */
  add(hash: number): void {
    if (!this.blocksEmpty && contains(this.load(), hash)) return;
    this.added.push(hash);
  }

  get changed(): boolean {
    return this.added.length > 0;
  }

  /** The hashes retired in this run, encoded. */
  encodeAdded(): string {
    return encodeHashes(this.added);
  }

  /** Every hash, sorted, each once, and encoded: a snapshot's block. */
  encodeAll(): string {
    if (this.added.length === 0 && this.blocks.length === 1) return this.blocks[0]!;
    const base = this.load();
    const all = new Float64Array(base.length + this.added.length);
    all.set(base);
    all.set(this.added, base.length);
    all.sort();
    let n = 0;
    for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[n - 1]) all[n++] = all[i]!;
    return encodeHashes(all.subarray(0, n));
  }
}
