// A forward proxy that only tunnels (HTTP CONNECT), as corporate proxies do for https;
// records each tunnel's target.
import http from 'node:http';
import net from 'node:net';

/** `hosts` maps names the proxy resolves itself (the client never looks them up). */
export async function startProxy({ hosts = {} } = {}) {
  const tunnels = [];
  const server = http.createServer((req, res) => { res.writeHead(405); res.end(); });
  server.on('connect', (req, client, head) => {
    tunnels.push(req.url);
    const [host, port] = [req.url.slice(0, req.url.lastIndexOf(':')).replace(/^\[|\]$/g, ''),
                          Number(req.url.slice(req.url.lastIndexOf(':') + 1))];
    const upstream = net.connect(port, hosts[host] ?? host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => { client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'); });
    client.on('error', () => upstream.destroy());
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    tunnels,
    close() { server.closeAllConnections?.(); return new Promise((r) => server.close(r)); },
  };
}
