// Size-bounded file reads for readers (SPEC 8: every input is bounded). A file over the cap is
// refused, or, for append-only logs, only its newest `maxBytes` are read from the first whole line.
import { open } from "node:fs/promises";

export type BoundedRead =
  | { ok: true; text: string; mtime: Date; size: number; truncated: boolean }
  | { ok: false; reason: "missing" | "too_large" | "unreadable"; message: string };

export async function readFileBounded(path: string, maxBytes: number, opts: { tail?: boolean } = {}): Promise<BoundedRead> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    return code === "ENOENT"
      ? { ok: false, reason: "missing", message: `${path}: no such file` }
      : { ok: false, reason: "unreadable", message: `${path}: cannot read (${code})` };
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return { ok: false, reason: "unreadable", message: `${path}: not a regular file` };
    if (st.size > maxBytes && !opts.tail) {
      return { ok: false, reason: "too_large", message: `${path}: ${st.size} bytes, over the ${maxBytes}-byte limit` };
    }
    const start = st.size > maxBytes ? st.size - maxBytes : 0;
    const length = st.size - start;
    const buf = Buffer.alloc(length);
    let off = 0;
    while (off < length) {
      const { bytesRead } = await handle.read(buf, off, length - off, start + off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    let text = buf.subarray(0, off).toString("utf8");
    if (start > 0) {
      // The cut landed mid-line: drop the partial first line.
      const nl = text.indexOf("\n");
      text = nl >= 0 ? text.slice(nl + 1) : "";
    }
    return { ok: true, text, mtime: st.mtime, size: st.size, truncated: start > 0 };
  } catch (err) {
    return { ok: false, reason: "unreadable", message: `${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? "error"})` };
  } finally {
    await handle.close().catch(() => undefined);
  }
}
