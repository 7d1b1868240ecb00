// The stateless revision 2026-07-28 through the bridge (DESIGN §9): the official v2 SDK's
// client over stdio, the v2 SDK's server over TLS, which rejects a request whose standard
// headers (MCP-Protocol-Version, Mcp-Method, Mcp-Name, Mcp-Param-*) disagree with its body.
// A 2025-era client (v1 SDK, initialize) works against the same server and bridge.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client as ModernClient } from '@modelcontextprotocol/client';
import { StdioClientTransport as ModernStdio } from '@modelcontextprotocol/client/stdio';
import { makeCertificates } from '../stores/lib/tls.mjs';
import { startModern } from './lib/modern-server.mjs';
import { bridgeEnv, connectClient, launcher } from './lib/bridge.mjs';

const TOKEN = 'modern-bearer-0123456789abcdef';
let tls;
before(() => { tls = makeCertificates(); });
after(() => tls.remove());

const args = (url) => ['--url', url, '--header', 'Authorization: Bearer {{ env.REMOTE_TOKEN }}'];

test('a 2026-07-28 client: no initialize, no session, the standard headers from each body', async () => {
  const remote = await startModern({ tls, bearer: TOKEN });
  const transport = new ModernStdio({ command: launcher, args: args(remote.url),
    env: bridgeEnv(tls, { REMOTE_TOKEN: TOKEN }), stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (d) => { stderr += d; });
  const client = new ModernClient({ name: 'modern-e2e', version: '1.0.0' },
    { versionNegotiation: { mode: 'auto' } });
  try {
    await client.connect(transport);
    assert.equal(client.getNegotiatedProtocolVersion(), '2026-07-28');
    const tools = await client.listTools();
    assert.deepEqual(tools.tools.map((t) => t.name).sort(), ['echo', 'slow', 'weather'],
      'the tool with an invalid x-mcp-header is left out');
    assert.match(stderr, /tool 'bad' left out: ratio: x-mcp-header on a number property/);
    const weather = await client.callTool({ name: 'weather', arguments: { region: 'Zürich', days: 3 } });
    assert.equal(weather.content[0].text, 'Zürich: sunny for 3 days');
    const plain = await client.callTool({ name: 'weather', arguments: { region: 'Oslo', days: 1 } });
    assert.equal(plain.content[0].text, 'Oslo: sunny for 1 days');
    const order = [];
    await Promise.all([
      client.callTool({ name: 'slow', arguments: { ms: 500 } }).then(() => order.push('slow')),
      client.callTool({ name: 'echo', arguments: { text: 'fast' } }).then(() => order.push('fast')),
    ]);
    assert.deepEqual(order, ['fast', 'slow']);
  } finally {
    await client.close();
    await remote.close();
  }
  const calls = remote.stats.headers.filter((h) => h['mcp-method'] === 'tools/call');
  assert.deepEqual(calls[0], { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call',
    'mcp-name': 'weather', 'mcp-param-region': '=?base64?WsO8cmljaA==?=' });
  assert.equal(calls[1]['mcp-param-region'], 'Oslo');
  assert.ok(remote.stats.headers.every((h) => !h['mcp-session-id']));
  assert.equal(remote.stats.gets, 0, 'no GET stream in the stateless revision');
  assert.equal(remote.stats.deletes, 0, 'no session to end');
  assert.ok(!stderr.includes(TOKEN));
});

test('a 2025 client (initialize) against the same server through the same bridge', async () => {
  const remote = await startModern({ tls, bearer: TOKEN });
  const { client } = await connectClient(args(remote.url), bridgeEnv(tls, { REMOTE_TOKEN: TOKEN }));
  try {
    assert.equal(client.getServerVersion().name, 'modern-test-server');
    const r = await client.callTool({ name: 'weather', arguments: { region: 'Bern', days: 2 } });
    assert.equal(r.content[0].text, 'Bern: sunny for 2 days');
  } finally {
    await client.close();
    await remote.close();
  }
  assert.ok(remote.stats.headers.some((h) => h['mcp-protocol-version'] === '2025-11-25'));
});
