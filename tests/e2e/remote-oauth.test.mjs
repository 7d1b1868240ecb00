// OAuth client credentials through the bridge (DESIGN §9): discovery from the 401 (RFC 9728,
// RFC 8414), client_secret_basic, client_secret_post and private_key_jwt (ES256, RS256) as the
// authorization server double allows, RFC 8707 `resource` and scopes, renewal of a token that
// lives two seconds, a revoked token replaced, and the refusals that end with 77.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { makeCertificates } from '../stores/lib/tls.mjs';
import { startRemote } from './lib/remote-server.mjs';
import { startAuthServer } from './lib/oauth-server.mjs';
import { bridgeEnv, call, connectClient, initialize, initialized, runBridge } from './lib/bridge.mjs';

const SECRET = 'client-secret-0123456789abcdef';
let tls;
before(() => { tls = makeCertificates(); });
after(() => tls.remove());

// A remote server behind an authorization server that takes `methods`.
async function protectedServer({ methods, clients, tokenLifetime }) {
  let remote;
  const as = await startAuthServer({ tls, methods, clients, tokenLifetime,
    resource: () => remote.url });
  remote = await startRemote({ tls, auth: { oauth: as } });
  return { as, remote, async close() { await remote.close(); await as.close(); } };
}

function config(url, oauth) {
  return JSON.stringify({ mcpServers: { remote: { type: 'http', url, oauth } } });
}

function keyPair(type) {
  const { privateKey, publicKey } = type === 'ec'
    ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { pem: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }) };
}

for (const method of ['client_secret_basic', 'client_secret_post']) {
  test(`${method}: discovery from the 401, then calls with the token`, async () => {
    const s = await protectedServer({ methods: [method], clients: { 'mcp-client': { secret: SECRET } } });
    const { client, stderr } = await connectClient(['--server', 'remote', '--log-level', 'trace'], bridgeEnv(tls, {
      CLIENT_SECRET: SECRET,
      MCP_LAUNCH_CONFIG_JSON: config(s.remote.url, { clientId: 'mcp-client',
        clientSecret: '{{ env.CLIENT_SECRET }}', scopes: ['mcp:tools'] }),
    }));
    try {
      const r = await client.callTool({ name: 'echo', arguments: { text: 'authorized' } });
      assert.equal(r.content[0].text, 'authorized');
    } finally { await client.close(); await s.close(); }
    assert.deepEqual(s.as.stats.methods, [method]);
    assert.deepEqual(s.as.stats.grants, ['client_credentials']);
    assert.deepEqual(s.as.stats.resources, [s.remote.url]);
    assert.deepEqual(s.as.stats.scopes, ['mcp:tools']);
    assert.equal(s.remote.stats.unauthorized, 1, 'one 401, then the token');
    assert.ok(!stderr().includes(SECRET), 'the client secret is in no log line');
    assert.ok(!/at-[0-9a-f]{32}/.test(stderr()), 'the access token is in no log line');
  });
}

for (const type of ['ec', 'rsa']) {
  test(`private_key_jwt (${type === 'ec' ? 'ES256' : 'RS256'}): a signed assertion instead of a secret`, async () => {
    const key = keyPair(type);
    const s = await protectedServer({ methods: ['private_key_jwt'],
      clients: { 'jwt-client': { publicKey: key.publicKey } } });
    const r = await runBridge(['--server', 'remote', '--log-level', 'trace'], bridgeEnv(tls, {
      CLIENT_KEY: key.pem,
      MCP_LAUNCH_CONFIG_JSON: config(s.remote.url, { clientId: 'jwt-client', privateKey: '{{ env.CLIENT_KEY }}' }),
    }), [initialize(0), initialized, call(1, 'echo', { text: 'signed' })]);
    await s.close();
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.messages.find((m) => m.id === 1)?.result?.content[0].text, 'signed');
    assert.deepEqual(s.as.stats.methods, ['private_key_jwt']);
    assert.deepEqual(s.as.stats.errors, []);
    assert.deepEqual(s.as.stats.scopes, ['mcp:tools'], 'the scope of the 401 challenge');
    assert.ok(!r.stderr.includes('PRIVATE KEY'), 'the key is in no log line');
  });
}

test('a token that lives two seconds is renewed before it expires; a revoked one is replaced', async () => {
  const s = await protectedServer({ methods: ['client_secret_basic'],
    clients: { 'mcp-client': { secret: SECRET } }, tokenLifetime: 2 });
  const { client } = await connectClient(['--server', 'remote'], bridgeEnv(tls, {
    CLIENT_SECRET: SECRET,
    MCP_LAUNCH_CONFIG_JSON: config(s.remote.url, { clientId: 'mcp-client', clientSecret: '{{ env.CLIENT_SECRET }}' }),
  }));
  try {
    for (let i = 0; i < 10; i++) {
      const r = await client.callTool({ name: 'echo', arguments: { text: `t${i}` } });
      assert.equal(r.content[0].text, `t${i}`);
      await new Promise((res) => setTimeout(res, 450));
    }
    assert.ok(s.as.stats.issued >= 3, `${s.as.stats.issued} tokens over 4.5 s`);
    assert.equal(s.remote.stats.unauthorized, 1, 'renewed before expiry: no expired token was sent');
    s.as.revokeAll();
    const after = await client.callTool({ name: 'echo', arguments: { text: 'after revocation' } });
    assert.equal(after.content[0].text, 'after revocation');
    assert.equal(s.remote.stats.unauthorized, 2);
  } finally { await client.close(); await s.close(); }
});

test('a wrong client secret: the initialize gets an error, exit 77', async () => {
  const s = await protectedServer({ methods: ['client_secret_basic'], clients: { 'mcp-client': { secret: SECRET } } });
  const r = await runBridge(['--server', 'remote'], bridgeEnv(tls, {
    MCP_LAUNCH_CONFIG_JSON: config(s.remote.url, { clientId: 'mcp-client', clientSecret: 'wrong-secret' }),
  }), [initialize(0)], { keepOpen: true });
  await s.close();
  assert.equal(r.code, 77, r.stderr);
  assert.match(r.messages[0].error.message, /token endpoint https:\/\/localhost:\d+: HTTP 401: invalid_client/);
  assert.ok(!r.stderr.includes('wrong-secret'));
});

test('an authorization server that does not take the client\'s method: exit 78', async () => {
  const key = keyPair('ec');
  const s = await protectedServer({ methods: ['client_secret_basic'], clients: {} });
  const r = await runBridge(['--server', 'remote'], bridgeEnv(tls, {
    CLIENT_KEY: key.pem,
    MCP_LAUNCH_CONFIG_JSON: config(s.remote.url, { clientId: 'c', privateKey: '{{ env.CLIENT_KEY }}' }),
  }), [initialize(0)], { keepOpen: true });
  await s.close();
  assert.equal(r.code, 78, r.stderr);
  assert.match(r.stderr, /does not take private_key_jwt/);
  assert.equal(s.as.stats.tokenRequests, 0);
});
