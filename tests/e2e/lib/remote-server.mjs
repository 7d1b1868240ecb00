// A real remote MCP server for the bridge's tests: the official SDK's McpServer behind its
// own server transports — Streamable HTTP (stateful with SSE answers, stateful with JSON
// answers, stateless) or the 2024-11-05 HTTP+SSE transport — over TLS with a CA made at test
// time, behind a bearer token or an API key. It counts what a test asserts on (requests by
// method, sessions, DELETEs, GET streams, connections) and can expire its sessions.
import { createServer } from 'node:https';
import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { InMemoryEventStore } from '@modelcontextprotocol/sdk/examples/shared/inMemoryEventStore.js';
import { z } from 'zod';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The tools every test server offers.
function makeMcpServer(state) {
  const server = new McpServer({ name: 'remote-test-server', version: '1.0.0' },
    { capabilities: { logging: {} } });
  server.registerTool('echo', { description: 'Echoes its text', inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: 'text', text }] }));
  server.registerTool('slow', { description: 'Answers after ms milliseconds, with progress',
    inputSchema: { ms: z.number() } },
  async ({ ms }, extra) => {
    const token = extra._meta?.progressToken;
    for (let i = 1; i <= 2; i++) {
      if (token !== undefined) {
        await extra.sendNotification({ method: 'notifications/progress',
          params: { progressToken: token, progress: i, total: 2 } });
      }
      await sleep(ms / 2);
    }
    return { content: [{ type: 'text', text: `slept ${ms}` }] };
  });
  server.registerTool('log', { description: 'Sends a log message, then answers', inputSchema: {} },
    async (_args, extra) => {
      await extra.sendNotification({ method: 'notifications/message',
        params: { level: 'info', data: 'hello from the server' } });
      return { content: [{ type: 'text', text: 'logged' }] };
    });
  server.registerTool('ask', { description: 'Asks the client to sample, then answers with it',
    inputSchema: {} },
  async () => {
    const answer = await server.server.createMessage({
      messages: [{ role: 'user', content: { type: 'text', text: 'say hi' } }], maxTokens: 10 });
    return { content: [{ type: 'text', text: `client said: ${answer.content.text}` }] };
  });
  server.registerTool('drop', { description: 'Drops its answer stream, then answers',
    inputSchema: {} },
  async (_args, extra) => {
    await extra.sendNotification({ method: 'notifications/message',
      params: { level: 'info', data: 'before the drop' } });
    state.closeStream?.(extra.requestId);
    await sleep(300);
    return { content: [{ type: 'text', text: 'answered after the drop' }] };
  });
  return server;
}

/**
 * Starts a remote MCP server. `mode`: 'stateful' (SSE answers), 'json' (JSON answers),
 * 'stateless', or 'sse' (HTTP+SSE). `auth`: { bearer } or { apiKey } (header X-API-Key).
 */
export async function startRemote({ tls, mode = 'stateful', auth = {}, path = '/mcp' } = {}) {
  const stats = { posts: 0, gets: 0, deletes: 0, sessions: 0, unauthorized: 0, connections: 0,
    queries: [], authorizations: [], inFlight: 0, maxInFlight: 0 };
  const sessions = new Map();  // id → transport (Streamable HTTP) or SSE transport
  const state = {};
  const check = (req) => {
    if (auth.oauth) return auth.oauth.verify((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (auth.bearer && req.headers.authorization !== `Bearer ${auth.bearer}`) return false;
    if (auth.apiKey && req.headers['x-api-key'] !== auth.apiKey) return false;
    return true;
  };
  const readBody = async (req) => {
    let data = '';
    for await (const chunk of req) data += chunk;
    return data ? JSON.parse(data) : undefined;
  };

  async function streamable(req, res, url) {
    if (mode === 'stateless') {
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      const server = makeMcpServer(state);
      res.on('close', () => { transport.close(); server.close(); });
      await server.connect(transport);
      await transport.handleRequest(req, res, req.method === 'POST' ? await readBody(req) : undefined);
      return;
    }
    const id = req.headers['mcp-session-id'];
    let transport = id ? sessions.get(id) : undefined;
    if (id && !transport) {
      res.writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
      return;
    }
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    if (!transport) {
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: mode === 'json',
        eventStore: new InMemoryEventStore(),
        retryInterval: 100,
        onsessioninitialized: (sid) => { sessions.set(sid, transport); stats.sessions++; },
        onsessionclosed: (sid) => { sessions.delete(sid); },
      });
      state.closeStream = (requestId) => transport.closeSSEStream(requestId);
      await makeMcpServer(state).connect(transport);
    }
    await transport.handleRequest(req, res, body);
  }

  async function legacy(req, res, url) {
    if (req.method === 'GET' && url.pathname === path) {
      const transport = new SSEServerTransport('/messages', res);
      sessions.set(transport.sessionId, transport);
      stats.sessions++;
      res.on('close', () => sessions.delete(transport.sessionId));
      await makeMcpServer(state).connect(transport);
      return;
    }
    if (req.method === 'POST' && url.pathname === '/messages') {
      const transport = sessions.get(url.searchParams.get('sessionId'));
      if (!transport) { res.writeHead(404).end('no session'); return; }
      await transport.handlePostMessage(req, res, await readBody(req));
      return;
    }
    // What a 2024-11-05 server says to a Streamable HTTP client's first POST.
    res.writeHead(405).end();
  }

  const server = createServer({ key: tls.localhost.key, cert: tls.localhost.cert }, async (req, res) => {
    const url = new URL(req.url, 'https://localhost');
    if (req.method === 'POST') {
      stats.posts++;
      stats.maxInFlight = Math.max(stats.maxInFlight, ++stats.inFlight);
      res.on('close', () => stats.inFlight--);
    }
    if (req.method === 'GET') stats.gets++;
    if (req.method === 'DELETE') stats.deletes++;
    stats.queries.push(url.search);
    stats.authorizations.push(req.headers.authorization ?? req.headers['x-api-key'] ?? '');
    const metadataPath = `/.well-known/oauth-protected-resource${path}`;
    if (auth.oauth && req.method === 'GET' && url.pathname === metadataPath) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        resource: `https://localhost:${port}${path}`, authorization_servers: [auth.oauth.issuer],
        scopes_supported: ['mcp:tools'], bearer_methods_supported: ['header'] }));
      return;
    }
    if (!check(req)) {
      stats.unauthorized++;
      const metadata = auth.oauth ? `resource_metadata="https://localhost:${port}${metadataPath}", ` : '';
      const error = req.headers.authorization ? 'error="invalid_token", ' : '';
      res.writeHead(401, { 'www-authenticate': `Bearer ${error}${metadata}scope="mcp:tools"` }).end();
      return;
    }
    try {
      if (mode === 'sse') await legacy(req, res, url);
      else if (url.pathname === path) await streamable(req, res, url);
      else res.writeHead(404).end();
    } catch (e) {
      if (!res.headersSent) res.writeHead(500).end(String(e));
    }
  });
  server.on('secureConnection', () => stats.connections++);
  let port;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  port = server.address().port;
  return {
    url: `https://localhost:${port}${path}`,
    port,
    stats,
    /** Forgets every session, as a server that restarted would. */
    expireSessions() { sessions.clear(); },
    setAuth(next) { Object.assign(auth, next); },
    async close() {
      for (const t of sessions.values()) await t.close?.().catch(() => {});
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
    },
  };
}
