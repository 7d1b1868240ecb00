// The bridge's exits and error answers (DESIGN §9, §10), line by line: a server that cannot be
// reached at start (69), credentials refused (77) and rotated ones picked up after a 401,
// a server gone in the middle, stdin ending while a call is in flight; and that no secret
// reaches a log line at any level, in text or JSON, or a file (strace).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { makeCertificates } from '../stores/lib/tls.mjs';
import { startRemote } from './lib/remote-server.mjs';
import { bridgeEnv, call, initialize, initialized, launcher, runBridge } from './lib/bridge.mjs';
import { tempDir } from '../stores/lib/temp.mjs';

const TOKEN = 'remote-bearer-0123456789abcdef';
let tls;
before(() => { tls = makeCertificates(); });
after(() => tls.remove());

const bearer = ['--header', 'Authorization: Bearer {{ env.REMOTE_TOKEN }}'];

async function closedPort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise((r) => s.close(r));
  return port;
}

test('a server that cannot be reached at start: the initialize gets an error, exit 69', async () => {
  const port = await closedPort();
  const r = await runBridge(['--url', `https://localhost:${port}/mcp`, '--timeout', '2s'],
    bridgeEnv(tls), [initialize(0)], { keepOpen: true });
  assert.equal(r.code, 69, r.stderr);
  assert.equal(r.messages.length, 1);
  assert.equal(r.messages[0].id, 0);
  assert.equal(r.messages[0].error.code, -32000);
  assert.match(r.messages[0].error.message, /localhost:\d+: /);
  assert.ok(r.ms < 5000, `${r.ms} ms`);
});

test('refused credentials are resolved once more, then exit 77', async () => {
  const remote = await startRemote({ tls, auth: { bearer: TOKEN } });
  try {
    const r = await runBridge(['--url', remote.url, ...bearer], bridgeEnv(tls, { REMOTE_TOKEN: 'wrong' }),
      [initialize(0)], { keepOpen: true });
    assert.equal(r.code, 77, r.stderr);
    assert.equal(r.messages[0].id, 0);
    assert.match(r.messages[0].error.message, /refused the credentials \(HTTP 401\)/);
    assert.equal(remote.stats.unauthorized, 2, 'sent, resolved again, sent once more');
    assert.match(r.stderr, /resolving their references again/);
  } finally { await remote.close(); }
});

test('a rotated secret is picked up after a 401 (the cache is bypassed)', async () => {
  const dir = tempDir('mcpl-rotate-');
  writeFileSync(join(dir, 'token'), 'first-token-aaaaaaaaaaaa', { mode: 0o600 });
  const remote = await startRemote({ tls, auth: { bearer: 'first-token-aaaaaaaaaaaa' } });
  const config = JSON.stringify({ secretStores: [{ name: 'f', type: 'file',
    configuration: { directory: dir }, mappings: [{ name: 'tok', secretIdentifier: 'token' }] }] });
  try {
    const lines = [initialize(0), initialized, call(1, 'echo', { text: 'before' }),
      { rotate: true }, call(2, 'echo', { text: 'after' })];
    const env = bridgeEnv(tls, { MCP_LAUNCH_CONFIG_JSON: config });
    const r = await runBridge(['--url', remote.url, '--header', 'Authorization: Bearer {{ secrets.f.tok }}'],
      env, lines.map((l) => {
        if (!l.rotate) return l;
        writeFileSync(join(dir, 'token'), 'second-token-bbbbbbbbbbb');
        remote.setAuth({ bearer: 'second-token-bbbbbbbbbbb' });
        return { jsonrpc: '2.0', method: 'notifications/roots/list_changed' };
      }).filter(Boolean));
    assert.equal(r.code, 0, r.stderr);
    const texts = r.messages.filter((m) => m.result?.content).map((m) => m.result.content[0].text);
    assert.deepEqual(texts, ['before', 'after']);
  } finally { await remote.close(); }
});

test('a server gone in the middle: the call in flight gets an error, and the bridge exits 69', async () => {
  const remote = await startRemote({ tls, auth: { bearer: TOKEN } });
  const pending = runBridge(['--url', remote.url, ...bearer, '--timeout', '1s'],
    bridgeEnv(tls, { REMOTE_TOKEN: TOKEN }),
    [initialize(0), initialized, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'slow', arguments: { ms: 5000 } } }],
    { keepOpen: true });
  await new Promise((r) => setTimeout(r, 700));
  await remote.close();
  const r = await pending;
  assert.equal(r.code, 69, r.stderr);
  const answer = r.messages.find((m) => m.id === 1);
  assert.ok(answer?.error, JSON.stringify(r.messages));
  assert.equal(answer.error.code, -32000);
});

test('stdin ending while a call is in flight: its answer still comes, then DELETE and exit 0', async () => {
  const remote = await startRemote({ tls, auth: { bearer: TOKEN } });
  try {
    const lines = [initialize(0), initialized];
    const slow = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'slow', arguments: { ms: 400 } } };
    const r = await runBridge(['--url', remote.url, ...bearer], bridgeEnv(tls, { REMOTE_TOKEN: TOKEN }),
      [...lines, JSON.stringify(slow)]);  // as text: stdin ends without waiting for its answer
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.messages.find((m) => m.id === 1)?.result?.content[0].text, 'slept 400');
    assert.equal(remote.stats.deletes, 1);
  } finally { await remote.close(); }
});

test('a line that is not JSON gets a parse error; the bridge goes on', async () => {
  const remote = await startRemote({ tls, auth: { bearer: TOKEN } });
  try {
    const r = await runBridge(['--url', remote.url, ...bearer], bridgeEnv(tls, { REMOTE_TOKEN: TOKEN }),
      [initialize(0), 'not json', call(1, 'echo', { text: 'still here' })]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.messages.some((m) => m.id === null && m.error?.code === -32700));
    assert.equal(r.messages.find((m) => m.id === 1)?.result?.content[0].text, 'still here');
  } finally { await remote.close(); }
});

test('values in the URL are percent-encoded there; no secret in any log line or file', async (t) => {
  const remote = await startRemote({ tls, auth: { apiKey: TOKEN } });
  const QUERY = 'tenant&key=evil value';
  try {
    for (const format of ['text', 'json']) {
      const r = await runBridge(['--url', `${remote.url}?t={{ env.TENANT }}`, '--header', 'X-API-Key: {{ env.REMOTE_TOKEN }}',
        '--log-level', 'trace', '--log-format', format],
      bridgeEnv(tls, { REMOTE_TOKEN: TOKEN, TENANT: QUERY }), [initialize(0), initialized, call(1, 'echo', { text: 'x' })]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!r.stderr.includes(TOKEN), r.stderr);
      assert.ok(!r.stderr.includes('evil'), r.stderr);
      assert.ok(r.stderr.length > 0);
    }
    assert.ok(remote.stats.queries.every((q) => q === '?t=tenant%26key%3Devil%20value'), remote.stats.queries.join());
  } finally { await remote.close(); }

  try { execFileSync('strace', ['-V'], { stdio: 'ignore' }); } catch { t.skip('strace is not installed'); return; }
  const again = await startRemote({ tls, auth: { apiKey: TOKEN } });
  const dir = tempDir('mcpl-bridge-strace-');
  const trace = join(dir, 'trace');
  try {
    const r = await runBridge(['-f', '-qq', '-e', 'trace=open,openat,openat2,creat,rename,renameat,renameat2,link,linkat',
      '-o', trace, launcher, '--url', again.url, '--header', 'X-API-Key: {{ env.REMOTE_TOKEN }}'],
    { ...bridgeEnv(tls, { REMOTE_TOKEN: TOKEN }), ASAN_OPTIONS: 'detect_leaks=0' },
    [initialize(0), initialized, call(1, 'echo', { text: 'x' })], { command: 'strace' });
    assert.equal(r.code, 0, r.stderr);
    const lines = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
    assert.ok(lines.some((l) => l.includes('openat')), 'strace saw the opens');
    assert.deepEqual(lines.filter((l) => /O_WRONLY|O_RDWR|O_CREAT|creat\(|rename|link/.test(l)), []);
  } finally { await again.close(); }
});

test('check on a remote server: its references, then whether it answers initialize', async () => {
  const remote = await startRemote({ tls, auth: { bearer: TOKEN } });
  const port = await closedPort();
  try {
    const check = (url, token, extra = []) => runBridge(['check', '--url', url, ...bearer, ...extra],
      bridgeEnv(tls, { REMOTE_TOKEN: token }), [], { raw: true });
    const ok = await check(remote.url, TOKEN);
    assert.equal(ok.code, 0, ok.stderr);
    const text = ok.rest;
    assert.match(text, /^\{\{ env\.REMOTE_TOKEN \}\}  store=env  ok  .*length=30  in --header 1 \(Authorization\)$/m);
    assert.match(text, new RegExp(`^remote https://localhost:${remote.port}: answered initialize: protocol 2025-11-25, server remote-test-server 1\\.0\\.0$`, 'm'));
    assert.ok(!text.includes(TOKEN));
    assert.equal(remote.stats.deletes, 1, 'the probe ends its session');
    const json = await check(remote.url, TOKEN, ['--json']);
    const doc = JSON.parse(json.rest);
    assert.equal(doc.exit_code, 0);
    assert.deepEqual(doc.remote, { origin: `https://localhost:${remote.port}`, status: 'ok',
      protocolVersion: '2025-11-25', server: 'remote-test-server 1.0.0' });
    const refused = await check(remote.url, 'wrong');
    assert.equal(refused.code, 77, refused.stderr);
    assert.match(refused.rest, /did not answer initialize: the remote server refused the credentials \(HTTP 401\)/);
    const gone = await check(`https://localhost:${port}/mcp`, TOKEN, ['--timeout', '2s']);
    assert.equal(gone.code, 69, gone.stderr);
    assert.match(gone.rest, /did not answer initialize: connecting to localhost:\d+: Connection refused/);
  } finally { await remote.close(); }
});

test('the secret is resolved inside: ps shows the reference; SIGTERM ends the session (DELETE), exit 143', async () => {
  const remote = await startRemote({ tls, auth: { bearer: TOKEN } });
  try {
    const child = spawn(launcher, ['--url', remote.url, ...bearer],
      { env: bridgeEnv(tls, { REMOTE_TOKEN: TOKEN }), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stdin.write(JSON.stringify(initialize(0)) + '\n');
    while (!out.includes('\n')) await new Promise((r) => setTimeout(r, 20));
    const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8');
    assert.ok(cmdline.includes('{{ env.REMOTE_TOKEN }}'));
    assert.ok(!cmdline.includes(TOKEN));
    const exited = new Promise((r) => child.on('close', (code) => r(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 143);
    assert.equal(remote.stats.deletes, 1);
  } finally { await remote.close(); }
});
