// The HTTPS client as a user meets it, through the built launcher and a Vault double: TLS
// verification, trust settings, SNI, proxies, keep-alive, retries, deadlines and limits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';
import { makeCertificates } from './lib/tls.mjs';
import { startVault } from './lib/vault.mjs';
import { startProxy } from './lib/proxy.mjs';
import { launch, tempDir } from './lib/launch.mjs';

let certs;
let vault;
before(async () => {
  certs = makeCertificates();
  vault = await startVault({ tls: certs.localhost });
  vault.put('mcp/github', { token: 'ghp_httpsSecret0001' });
});
after(async () => { await vault.close(); certs.remove(); });

const REF = '{{ secrets.vault.[mcp/github] }}';
const config = (configuration) => ({
  secretStores: [{ name: 'vault', type: 'hashicorp_vault', configuration: { token: vault.token(), ...configuration } }],
});
const withDouble = async (options, body) => {
  const d = await startVault(options);
  d.put('mcp/github', { token: 'ghp_httpsSecret0001' });
  try { return await body(d); } finally { await d.close(); }
};

test('a certificate from an unknown CA is refused with a clear error, exit 77', async () => {
  await withDouble({ tls: certs.untrusted }, async (d) => {
    const r = await launch(['read', REF], { config: config({ address: d.url, caFile: certs.caFile, token: d.token() }) });
    assert.equal(r.code, 77, r.stderr);
    assert.match(r.stderr, /TLS with 127\.0\.0\.1:\d+: certificate not accepted: unable to get local issuer certificate/);
    assert.equal(d.stats.requests, 0);
  });
});

test('a certificate for another host name is refused, exit 77', async () => {
  await withDouble({ tls: certs.otherHost }, async (d) => {
    const r = await launch(['read', REF], { config: config({ address: d.url.replace('127.0.0.1', 'localhost'), caFile: certs.caFile }) });
    assert.equal(r.code, 77, r.stderr);
    assert.match(r.stderr, /certificate not accepted: [Hh]ostname mismatch/);
    assert.equal(d.stats.requests, 0);
  });
});

test('without caFile the test CA is not trusted; SSL_CERT_FILE or SSL_CERT_DIR make it so', async () => {
  const none = await launch(['read', REF], { config: config({ address: vault.url }) });
  assert.equal(none.code, 77, none.stderr);
  const file = await launch(['read', REF], { config: config({ address: vault.url }), env: { SSL_CERT_FILE: certs.caFile } });
  assert.equal(file.code, 0, file.stderr);
  assert.equal(file.stdout, 'ghp_httpsSecret0001\n');
  const dir = tempDir('mcpl-certdir-');
  copyFileSync(certs.caFile, join(dir, 'test-ca.pem'));
  execFileSync('openssl', ['rehash', dir]);
  const fromDir = await launch(['read', REF], { config: config({ address: vault.url }), env: { SSL_CERT_DIR: dir } });
  assert.equal(fromDir.code, 0, fromDir.stderr);
});

test('caFile adds to the trust in use, whichever CA each names, never replaces it', async () => {
  // Two servers, signed by two CAs: a store trusts the one its caFile names and the one
  // SSL_CERT_FILE names, both at once. Were caFile to replace the trust, one would fail.
  const stranger = join(certs.dir, 'stranger-ca.pem');
  await withDouble({ tls: certs.untrusted }, async (d) => {
    const two = (a, b) => ({ secretStores: [
      { name: 'one', type: 'hashicorp_vault', configuration: { address: vault.url, token: vault.token(), caFile: a } },
      { name: 'two', type: 'hashicorp_vault', configuration: { address: d.url, token: d.token(), caFile: a } }] });
    const refs = ['{{ secrets.one.[mcp/github#token] }}', '{{ secrets.two.[mcp/github#token] }}'];
    for (const [caFile, certFile] of [[certs.caFile, stranger], [stranger, certs.caFile]]) {
      const r = await launch(['read', ...refs], { config: two(caFile, certFile), env: { SSL_CERT_FILE: certFile } });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'ghp_httpsSecret0001\nghp_httpsSecret0001\n');
    }
    const alone = await launch(['read', ...refs], { config: two(certs.caFile) });
    assert.equal(alone.code, 77, 'without SSL_CERT_FILE the stranger CA is not trusted');
  });
});

test('SNI names the host; an IP address is verified against the certificate without SNI', async () => {
  const byName = await launch(['read', REF], { config: config({ address: vault.url.replace('127.0.0.1', 'localhost'), caFile: certs.caFile }) });
  assert.equal(byName.code, 0, byName.stderr);
  assert.equal(vault.stats.seen.at(-1).sni, 'localhost');
  const byIp = await launch(['read', REF], { config: config({ address: vault.url, caFile: certs.caFile }) });
  assert.equal(byIp.code, 0, byIp.stderr);
  assert.equal(vault.stats.seen.at(-1).sni, false);
});

test('HTTPS_PROXY tunnels with CONNECT; NO_PROXY bypasses it', async () => {
  const proxy = await startProxy({ hosts: { 'vault.internal.test': '127.0.0.1' } });
  try {
    const address = `https://vault.internal.test:${vault.port}`;
    const r = await launch(['read', REF], { config: config({ address, caFile: certs.caFile }), env: { HTTPS_PROXY: proxy.url } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ghp_httpsSecret0001\n');
    assert.deepEqual(proxy.tunnels, [`vault.internal.test:${vault.port}`]);
    assert.equal(vault.stats.seen.at(-1).sni, 'vault.internal.test', 'TLS runs end to end inside the tunnel');
    const bypass = await launch(['read', REF], { config: config({ address, caFile: certs.caFile }),
      env: { https_proxy: proxy.url, NO_PROXY: 'example.com,.internal.test' } });
    assert.equal(bypass.code, 69, 'direct: the name does not resolve here');
    assert.match(bypass.stderr, /looking up vault.internal.test/);
    assert.equal(proxy.tunnels.length, 1);
    const loopback = await launch(['read', REF], { config: config({ address: vault.url, caFile: certs.caFile }), env: { HTTPS_PROXY: proxy.url } });
    assert.equal(loopback.code, 0, 'loopback is never proxied');
    assert.equal(proxy.tunnels.length, 1);
  } finally { await proxy.close(); }
});

test('plain http:// works to loopback', async () => {
  await withDouble({}, async (d) => {
    const r = await launch(['read', REF], { config: config({ address: d.url, token: d.token() }) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ghp_httpsSecret0001\n');
  });
});

test('a login and a read share one kept-alive connection', async () => {
  await withDouble({ tls: certs.localhost }, async (d) => {
    const r = await launch(['read', REF], { config: {
      secretStores: [{ name: 'vault', type: 'hashicorp_vault', configuration: {
        address: d.url, caFile: certs.caFile, auth: { method: 'approle', roleId: 'role-id-1', secretId: 'secret-id-1' } } }] } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(d.stats.requests, 2);
    assert.equal(d.stats.connections, 1);
  });
});

test('fifty references: bounded connections, requests in parallel', async () => {
  await withDouble({ tls: certs.localhost, latencyMs: 50 }, async (d) => {
    const env = {};
    for (let i = 0; i < 50; i++) { d.put(`many/${i}`, { v: `value-${i}-xxxx` }); env[`S${i}`] = `{{ secrets.vault.[many/${i}] }}`; }
    const r = await launch(['--log-level', 'debug', '--', 'true'], { config: config({ address: d.url, caFile: certs.caFile, token: d.token() }), env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(d.stats.requests, 50);
    assert.ok(d.stats.connections <= 50, `${d.stats.connections} connections`);
    // Each answer takes 50 ms: read one after another, one would be in flight at a time.
    // How many overlap depends on the machine (2 cores, ASan): any overlap shows parallelism.
    assert.ok(d.stats.maxInFlight >= 4, `only ${d.stats.maxInFlight} at once`);
    assert.match(r.stderr, /network: 50 requests over \d+ connections/);

    // maxConnections bounds them: 50 references over at most 8 connections.
    d.dropIdle();
    const before = d.stats.connections;
    d.stats.maxOpen = d.stats.open;
    const bounded = await launch(['--', 'true'], { config: config({ address: d.url, caFile: certs.caFile,
      token: d.token(), maxConnections: 8 }), env });
    assert.equal(bounded.code, 0, bounded.stderr);
    assert.ok(d.stats.connections - before <= 8, `${d.stats.connections - before} connections`);
    assert.ok(d.stats.maxOpen <= 8, `${d.stats.maxOpen} connections open at once`);
    const bad = await launch(['--', 'true'], { config: config({ address: d.url, token: 't', maxConnections: 0 }), env });
    assert.equal(bad.code, 78);
    assert.match(bad.stderr, /configuration.maxConnections must be a whole number from 1 to 1024/);
  });
});

test('a dropped connection and a 503 are retried; the read succeeds', async () => {
  await withDouble({ tls: certs.localhost }, async (d) => {
    d.faults.push({ drop: true }, { status: 503, retryAfter: 0, json: { errors: ['Vault is sealed'] } });
    const r = await launch(['read', REF], { config: config({ address: d.url, caFile: certs.caFile, token: d.token() }) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(d.stats.requests, 3);
  });
});

test('a Retry-After past the deadline is not waited for: 69 at once', async () => {
  await withDouble({ tls: certs.localhost }, async (d) => {
    d.faults.push({ status: 429, retryAfter: 120, json: { errors: ['rate limit quota exceeded'] } });
    const r = await launch(['--timeout', '5s', 'read', REF], { config: config({ address: d.url, caFile: certs.caFile, token: d.token() }) });
    assert.equal(r.code, 69, r.stderr);
    assert.match(r.stderr, /HTTP 429: rate limit quota exceeded/);
    assert.ok(r.ms < 4000, `gave up at once (${r.ms} ms)`);
    assert.equal(d.stats.requests, 1);
  });
});

test('an endless body is cut off at 16 MiB: exit 65, not retried', async () => {
  await withDouble({ tls: certs.localhost }, async (d) => {
    d.faults.push({ hugeBytes: 64 << 20 });
    const r = await launch(['read', REF], { config: config({ address: d.url, caFile: certs.caFile, token: d.token() }) });
    assert.equal(r.code, 65, r.stderr);
    assert.match(r.stderr, /larger than 16 MiB/);
    assert.equal(d.stats.requests, 1);
  });
});

test('a server slower than --timeout: 69 by the deadline', async () => {
  await withDouble({ tls: certs.localhost, latencyMs: 10_000 }, async (d) => {
    const r = await launch(['--timeout', '700ms', 'read', REF], { config: config({ address: d.url, caFile: certs.caFile, token: d.token() }) });
    assert.equal(r.code, 69, r.stderr);
    // It names the store, where it answers, and the option that ran out.
    assert.match(r.stderr, new RegExp(`store 'vault' at https://127\\.0\\.0\\.1:${d.port}: no answer before --timeout 700ms ran out`));
    assert.ok(r.ms < 3000, `${r.ms} ms`);
  });
});

test('nothing listening: connection refused after retries, 69', async () => {
  const port = await new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
  const r = await launch(['read', REF], { config: config({ address: `https://127.0.0.1:${port}`, caFile: certs.caFile }) });
  assert.equal(r.code, 69, r.stderr);
  assert.match(r.stderr, /connecting to 127\.0\.0\.1:\d+: Connection refused/);
});

test('a server that accepts but never completes the TLS handshake: 69 by the deadline', async () => {
  const silent = net.createServer(() => {});
  await new Promise((r) => silent.listen(0, '127.0.0.1', r));
  try {
    const r = await launch(['--timeout', '700ms', 'read', REF],
      { config: config({ address: `https://127.0.0.1:${silent.address().port}`, caFile: certs.caFile }) });
    assert.equal(r.code, 69, r.stderr);
    assert.match(r.stderr, /no answer before --timeout 700ms ran out/);
    assert.ok(r.ms < 3000, `${r.ms} ms`);
  } finally {
    silent.close();
  }
});

test('without --timeout a store that never answers is given 30 s: then 69, naming the deadline', async () => {
  // A server that takes the connection and says nothing, ever.
  const held = [];
  const silent = net.createServer((c) => held.push(c));
  await new Promise((r) => silent.listen(0, '127.0.0.1', r));
  try {
    const r = await launch(['read', REF], { config: config({ address: `http://127.0.0.1:${silent.address().port}` }),
      timeoutMs: 90_000 });
    assert.equal(r.code, 69, r.stderr);
    assert.match(r.stderr, /store 'vault' at http:\/\/127\.0\.0\.1:\d+: no answer before --timeout 30s ran out/);
    assert.ok(r.ms >= 29_000 && r.ms < 60_000, `${r.ms} ms`);
  } finally {
    for (const c of held) c.destroy();
    silent.close();
  }
});
