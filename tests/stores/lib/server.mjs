// An HTTPS (or, for loopback tests, plain HTTP) server for store doubles: counts requests,
// TCP connections, and the most connections open and requests in flight at once; can add
// latency to every answer and play scripted faults (a status with Retry-After, a dropped
// connection, an endless body, a late answer).
import http from 'node:http';
import https from 'node:https';

/**
 * @param {object} o
 * @param {{key: Buffer, cert: Buffer}} [o.tls]  server certificate; plain HTTP without it
 * @param {(req, body: string, url: URL) => Promise<{status: number, json?: any, text?: string, headers?: object}>} o.route
 * @param {number} [o.latencyMs]  added to every answer
 * @param {string} [o.host]  address to listen on
 */
export async function startServer({ tls, route, latencyMs = 0, host = '127.0.0.1' }) {
  const stats = { requests: 0, connections: 0, open: 0, maxOpen: 0, inFlight: 0, maxInFlight: 0, seen: [] };
  // Played in order, one per request whose path matches. They come before the double's own
  // checks (the token, the signature) on purpose: they stand for what fails in front of a
  // service — a dropped connection, a load balancer's 502/503, a rate limiter's 429 — which
  // answers before the service has authenticated anyone. A refusal the service itself gives
  // (401, 403) is the double's own branch, reached with wrong credentials, never a fault.
  const faults = [];
  const sockets = new Set();
  const handler = async (req, res) => {
    stats.requests++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks).toString();
    const url = new URL(req.url, 'http://double');
    stats.seen.push({ method: req.method, path: url.pathname, query: url.search,
                      headers: req.headers, body, sni: req.socket.servername });
    try {
      if (latencyMs) await new Promise((r) => setTimeout(r, latencyMs).unref());
      const i = faults.findIndex((f) => !f.path || url.pathname.includes(f.path));
      if (i >= 0) {
        const fault = faults.splice(i, 1)[0];
        if (fault.drop) { req.socket.destroy(); return; }
        if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs).unref());
        if (fault.hugeBytes) {
          res.writeHead(200, { 'content-type': 'application/json' });
          const block = Buffer.alloc(1 << 16, 0x61);
          for (let sent = 0; sent < fault.hugeBytes && !res.destroyed; sent += block.length)
            if (!res.write(block)) await new Promise((r) => res.once('drain', r));
          res.end();
          return;
        }
        // Without a status the fault only makes the double's own answer late.
        if (fault.status !== undefined) {
          const headers = { 'content-type': 'application/json' };
          if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
          res.writeHead(fault.status, headers);
          // A function answers from the request: a server that echoes what it was sent.
          const json = typeof fault.json === 'function' ? fault.json(req) : fault.json;
          res.end(JSON.stringify(json ?? {}));
          return;
        }
      }
      const answer = await route(req, body, url);
      const type = answer.text === undefined ? 'application/json' : 'text/plain';
      res.writeHead(answer.status, { 'content-type': type, ...(answer.headers ?? {}) });
      res.end(answer.text ?? (answer.json === undefined ? '' : JSON.stringify(answer.json)));
    } finally {
      stats.inFlight--;
    }
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handler)
                     : http.createServer(handler);
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s) => {
    stats.connections++;
    stats.maxOpen = Math.max(stats.maxOpen, ++stats.open);
    sockets.add(s);
    s.on('close', () => { sockets.delete(s); stats.open--; });
  });
  server.on('tlsClientError', () => {});  // a client that refused our certificate
  await new Promise((r) => server.listen(0, host, r));
  const { port } = server.address();
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  return {
    url: `${tls ? 'https' : 'http'}://${hostInUrl}:${port}`,
    port,
    stats,
    faults,
    /** Closes every kept-alive connection, as a server does when it times them out. */
    dropIdle() { for (const s of sockets) s.destroy(); },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    },
  };
}
