// Reading an HTTP response body with a size cap (SPEC 8: a body over 1 MiB is refused): the
// declared length is checked first, then bytes are counted as they arrive, so a chunked or lying
// server cannot make a reader buffer without bound.
export const MAX_BODY_BYTES = 1024 * 1024;

export type CappedBody = { kind: "bytes"; bytes: Buffer } | { kind: "too_large"; bytes: number | null };

export async function readCapped(res: Response, cap: number = MAX_BODY_BYTES): Promise<CappedBody> {
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > cap) {
    await res.body?.cancel().catch(() => undefined);
    return { kind: "too_large", bytes: declared };
  }
  if (!res.body) return { kind: "bytes", bytes: Buffer.alloc(0) };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => undefined);
      return { kind: "too_large", bytes: null };
    }
    chunks.push(value);
  }
  return { kind: "bytes", bytes: Buffer.concat(chunks) };
}
