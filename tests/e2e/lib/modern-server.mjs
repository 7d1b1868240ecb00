// A remote MCP server of the stateless revision 2026-07-28: the official v2 SDK's McpServer
// behind its own HTTP entry (createMcpHandler), which checks the standard headers against the
// body (MCP-Protocol-Version, Mcp-Method, Mcp-Name, Mcp-Param-*) and still serves 2025-era
// clients through its stateless legacy fallback. Over TLS with a CA made at test time,
// behind a bearer token; it records the standard headers of each POST.
import { createServer } from 'node:https';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { z } from 'zod';

function makeServer() {
  const server = new McpServer({ name: 'modern-test-server', version: '2.0.0' });
  server.registerTool('echo', { description: 'Echoes its text', inputSchema: z.object({ text: z.string() }) },
    async ({ text }) => ({ content: [{ type: 'text', text }] }));
  server.registerTool('weather', {
    description: 'The weather in a region, routed by the Mcp-Param-Region header',
    inputSchema: z.object({ region: z.string().meta({ 'x-mcp-header': 'Region' }), days: z.number().int() }),
  }, async ({ region, days }) => ({ content: [{ type: 'text', text: `${region}: sunny for ${days} days` }] }));
  // Invalid for an HTTP client: x-mcp-header on a `number` (integers only): the bridge must
  // leave it out of tools/list.
  server.registerTool('bad', { description: 'Declares a header on a number',
    inputSchema: z.object({ ratio: z.number().meta({ 'x-mcp-header': 'Ratio' }) }) },
  async () => ({ content: [{ type: 'text', text: 'never listed' }] }));
  server.registerTool('slow', { description: 'Answers after ms milliseconds', inputSchema: z.object({ ms: z.number() }) },
    async ({ ms }) => {
      await new Promise((r) => setTimeout(r, ms));
      return { content: [{ type: 'text', text: `slept ${ms}` }] };
    });
  return server;
}

export async function startModern({ tls, bearer }) {
  const handler = createMcpHandler(() => makeServer());
  const stats = { posts: 0, gets: 0, deletes: 0, headers: [], unauthorized: 0 };
  const server = createServer({ key: tls.localhost.key, cert: tls.localhost.cert }, async (req, res) => {
    if (req.method === 'POST') stats.posts++;
    if (req.method === 'GET') stats.gets++;
    if (req.method === 'DELETE') stats.deletes++;
    if (req.headers.authorization !== `Bearer ${bearer}`) {
      stats.unauthorized++;
      res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
      return;
    }
    const picked = {};
    for (const [name, value] of Object.entries(req.headers))
      if (/^(mcp-|mcp-param-)/.test(name)) picked[name] = value;
    stats.headers.push(picked);
    let body = '';
    for await (const chunk of req) body += chunk;
    const request = new Request(`https://localhost${req.url}`, {
      method: req.method, headers: req.headers, body: req.method === 'POST' ? body : undefined,
    });
    const response = await handler.fetch(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) { res.end(); return; }
    for await (const chunk of response.body) res.write(chunk);
    res.end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  return {
    url: `https://localhost:${port}/mcp`,
    stats,
    async close() {
      await handler.close();
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
    },
  };
}
