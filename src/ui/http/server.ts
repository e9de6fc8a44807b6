// The HTTP view on node:http (SPEC 6.4): binds, checks the bearer token when one is set, answers
// from the in-memory documents through routes.ts, and survives bad clients: oversized headers get
// 431, malformed requests 400, and neither takes the server down.
import { createServer, type Server } from "node:http";
import { isIP } from "node:net";
import type { Socket } from "node:net";
import { bearerMatches, route, tokenDigest, unauthorised, type ServeSources } from "./routes.js";

/** Node's default; a request whose headers exceed it is answered 431. */
export const MAX_HEADER_BYTES = 16 * 1024;

export type ServerOptions = {
  host: string;
  port: number;
  /** When set, every request needs `Authorization: Bearer <token>`. */
  token: string | null;
  sources: ServeSources;
  maxHeaderSize?: number;
};

export type RunningServer = { url: string; host: string; port: number; server: Server; close: () => Promise<void> };

/** Loopback: 127.0.0.0/8, ::1 (also as a v4-mapped address) and `localhost`. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost") return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (isIP(h) === 6) return h === "::1" || /^::ffff:127\./.test(h) || h === "0:0:0:0:0:0:0:1";
  return false;
}

function rawResponse(socket: Socket, status: number, reason: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = `${JSON.stringify({ error: reason })}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function startServer(o: ServerOptions): Promise<RunningServer> {
  const expected = o.token === null ? null : tokenDigest(o.token);
  const server = createServer({ maxHeaderSize: o.maxHeaderSize ?? MAX_HEADER_BYTES }, (req, res) => {
    let r;
    try {
      r = expected !== null && !bearerMatches(req.headers.authorization, expected) ? unauthorised() : route(req.method, req.url, o.sources);
    } catch (err) {
      r = { status: 500, headers: { "content-type": "application/json; charset=utf-8" }, body: `${JSON.stringify({ error: `internal error: ${err instanceof Error ? err.message : String(err)}` })}\n` };
    }
    res.writeHead(r.status, { ...r.headers, "content-length": String(Buffer.byteLength(r.body)) });
    res.end(req.method === "HEAD" ? undefined : r.body);
  });
  // Parser-level failures never reach the handler: answer them here and keep serving.
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === "HPE_HEADER_OVERFLOW") return rawResponse(socket, 431, "Request Header Fields Too Large");
    if (err.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    rawResponse(socket, 400, "Bad Request");
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => {
      server.off("error", reject);
      const addr = server.address();
      const port = typeof addr === "object" && addr !== null ? addr.port : o.port;
      const shown = isIP(o.host) === 6 ? `[${o.host}]` : o.host;
      resolve({
        url: `http://${shown}:${port}`,
        host: o.host,
        port,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Idle keep-alive sockets would hold close() open; in-flight requests finish first.
            server.closeIdleConnections();
          }),
      });
    });
  });
}
