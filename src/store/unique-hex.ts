// Random hex for names that must differ from another process's (temp files, snapshot ids), not
// be secret: temp files live in the private 0700 state dir and are created with 'wx'. Not
// node:crypto: loading it costs ~4.6 ms, and this runs on every command that writes state.
export function uniqueHex(bytes: number): string {
  let out = "";
  for (let i = 0; i < bytes; i += 2) out += Math.floor(Math.random() * 0x10000).toString(16).padStart(4, "0");
  return out.slice(0, bytes * 2);
}
