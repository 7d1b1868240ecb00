// The stdio↔remote bridge (DESIGN §9) end to end: the official SDK's client over stdio
// through the built mcp-launch, to the official SDK's server over TLS in each transport —
// Streamable HTTP with SSE answers, with JSON answers, stateless, and HTTP+SSE (2024-11-05).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateMessageRequestSchema, LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { makeCertificates } from '../stores/lib/tls.mjs';
import { startRemote } from './lib/remote-server.mjs';
import { bridgeEnv, connectClient } from './lib/bridge.mjs';

const TOKEN = 'remote-bearer-0123456789abcdef';
let tls;
before(() => { tls = makeCertificates(); });
after(() => tls.remove());

const args = (url, extra = []) =>
  ['--url', url, '--header', 'Authorization: Bearer {{ env.REMOTE_TOKEN }}', ...extra];

for (const mode of ['stateful', 'json', 'stateless', 'sse']) {
  test(`${mode}: initialize, list, call, notifications and concurrency through the bridge`, async () => {
    const remote = await startRemote({ tls, mode, auth: { bearer: TOKEN } });
    const { client, stderr } = await connectClient(args(remote.url),
      bridgeEnv(tls, { REMOTE_TOKEN: TOKEN }), { capabilities: { sampling: {} } });
    try {
      assert.equal(client.getServerVersion().name, 'remote-test-server');
      const tools = await client.listTools();
      assert.deepEqual(tools.tools.map((t) => t.name).sort(), ['ask', 'drop', 'echo', 'log', 'slow']);
      const echoed = await client.callTool({ name: 'echo', arguments: { text: 'hello' } });
      assert.equal(echoed.content[0].text, 'hello');

      // A slow call does not hold up a fast one; its progress notifications come through
      // (a server that answers in JSON has no stream to send them on during the call).
      const progress = [];
      const order = [];
      const slow = client.callTool({ name: 'slow', arguments: { ms: 600 } }, undefined,
        { onprogress: (p) => progress.push(p.progress) }).then(() => order.push('slow'));
      const fast = client.callTool({ name: 'echo', arguments: { text: 'fast' } }).then(() => order.push('fast'));
      await Promise.all([slow, fast]);
      assert.deepEqual(order, ['fast', 'slow']);
      if (mode !== 'json') assert.deepEqual(progress, [1, 2]);

      // Twenty calls at once, each answered with its own text.
      const many = await Promise.all(Array.from({ length: 20 }, (_, i) =>
        client.callTool({ name: 'echo', arguments: { text: `n${i}` } })));
      assert.deepEqual(many.map((r) => r.content[0].text), Array.from({ length: 20 }, (_, i) => `n${i}`));

      // A logging notification on the answer's stream reaches the client.
      const logged = [];
      client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => logged.push(n.params.data));
      await client.callTool({ name: 'log', arguments: {} });
      if (mode !== 'json') assert.deepEqual(logged, ['hello from the server']);

      if (mode === 'stateful' || mode === 'sse') {
        // A server-to-client request (sampling) reaches the client, and its answer goes back.
        client.setRequestHandler(CreateMessageRequestSchema, async () => ({
          role: 'assistant', content: { type: 'text', text: 'hi back' }, model: 'test' }));
        const asked = await client.callTool({ name: 'ask', arguments: {} });
        assert.equal(asked.content[0].text, 'client said: hi back');
      }
    } finally {
      await client.close();
      await new Promise((r) => setTimeout(r, 100));
      await remote.close();
    }
    assert.ok(remote.stats.authorizations.every((a) => a === `Bearer ${TOKEN}`));
    assert.equal(remote.stats.unauthorized, 0);
    if (mode === 'stateful' || mode === 'json') assert.equal(remote.stats.deletes, 1, 'DELETE at EOF');
    assert.ok(!stderr().includes(TOKEN), stderr());
  });
}

test('an expired session is replaced without the client noticing', async () => {
  const remote = await startRemote({ tls, mode: 'stateful', auth: { bearer: TOKEN } });
  const { client, stderr } = await connectClient(args(remote.url), bridgeEnv(tls, { REMOTE_TOKEN: TOKEN }));
  try {
    await client.callTool({ name: 'echo', arguments: { text: 'one' } });
    remote.expireSessions();
    const again = await Promise.all([1, 2, 3].map((i) =>
      client.callTool({ name: 'echo', arguments: { text: `after ${i}` } })));
    assert.deepEqual(again.map((r) => r.content[0].text), ['after 1', 'after 2', 'after 3']);
    assert.equal(remote.stats.sessions, 2, 'one new session however many requests found out');
    assert.match(stderr(), /the remote session expired; starting a new one/);
  } finally {
    await client.close();
    await remote.close();
  }
});

test('a dropped answer stream is resumed with Last-Event-ID', async () => {
  const remote = await startRemote({ tls, mode: 'stateful', auth: { bearer: TOKEN } });
  const { client, stderr } = await connectClient(args(remote.url, ['--log-level', 'debug']),
    bridgeEnv(tls, { REMOTE_TOKEN: TOKEN }));
  try {
    const logged = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => logged.push(n.params.data));
    const r = await client.callTool({ name: 'drop', arguments: {} });
    assert.equal(r.content[0].text, 'answered after the drop');
    assert.deepEqual(logged, ['before the drop'], 'nothing replayed twice');
    assert.match(stderr(), /resumed a dropped stream after event /);
  } finally {
    await client.close();
    await remote.close();
  }
});

test('two hundred calls in flight at once: the bridge bounds its connections apart from the stores', async () => {
  const remote = await startRemote({ tls, mode: 'stateful', auth: { bearer: TOKEN } });
  const { client } = await connectClient(args(remote.url), bridgeEnv(tls, { REMOTE_TOKEN: TOKEN }));
  try {
    const answers = await Promise.all(Array.from({ length: 200 }, () =>
      client.callTool({ name: 'slow', arguments: { ms: 1000 } })));
    assert.equal(answers.length, 200);
    assert.ok(answers.every((a) => a.content[0].text === 'slept 1000'));
    assert.ok(remote.stats.maxInFlight >= 150, `${remote.stats.maxInFlight} POSTs at once (stores stop at 32)`);
  } finally {
    await client.close();
    await remote.close();
  }
});
