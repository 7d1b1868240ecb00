// The `scratch` container without a container runtime (DESIGN §13): a root file system that
// holds only the static launcher, a CA file, a config and /etc/hosts (or /etc/resolv.conf),
// entered with chroot (or, not as root, `unshare -r --root`). The launcher reads a secret
// from the Vault double over TLS by host name; without a CA file it says how to give one.
// An empty root is also where /etc/mcp-launch/config.json, the last default, can be tested.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCertificates } from '../stores/lib/tls.mjs';
import { startVault } from '../stores/lib/vault.mjs';

const binary = process.env.MCP_LAUNCH_BINARY;
if (!binary) throw new Error('set MCP_LAUNCH_BINARY to the built (static) mcp-launch');
const NAME = 'vault.internal.test';  // in the double's certificate, in no real DNS

let certs, vault, root;
before(async () => {
  certs = makeCertificates();
  vault = await startVault({ tls: certs.localhost });
  vault.put('mcp/github', { token: 'ghp_fromScratch0001' });
});
after(() => { vault.close(); certs.remove(); });

// An empty root with the launcher, and the files given (path → content).
function makeRoot(files) {
  root = mkdtempSync(join(tmpdir(), 'mcpl-scratch-'));
  copyFileSync(binary, join(root, 'mcp-launch'));
  chmodSync(join(root, 'mcp-launch'), 0o755);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content, { mode: 0o600 });
  }
  return root;
}

function config({ caFile = true } = {}) {
  return JSON.stringify({ secretStores: [{ name: 'vault', type: 'hashicorp_vault', configuration: {
    address: `https://${NAME}:${vault.port}`, token: vault.token(), ...(caFile ? { caFile: '/ca.pem' } : {}) } }] });
}

// Runs the launcher inside `dir` as its root, with nothing in its environment but `env`
// (asynchronously: the doubles answer from this process).
function inRoot(dir, args, env = {}) {
  const asRoot = process.getuid() === 0;
  const [cmd, pre] = asRoot ? ['/usr/sbin/chroot', [dir]] : ['/usr/bin/unshare', ['-r', `--root=${dir}`]];
  const child = spawn(cmd, [...pre, '/mcp-launch', ...args], { env, timeout: 30_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

test('an empty root: the static binary, a CA file, /etc/hosts and a config are enough', async () => {
  const dir = makeRoot({ 'ca.pem': readFileSync(certs.caFile), 'etc/hosts': `127.0.0.1 ${NAME}\n`, 'config.json': config() });
  try {
    const r = await inRoot(dir, ['read', '--config', '/config.json', 'secrets.vault.[mcp/github#token]']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'ghp_fromScratch0001\n');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('with no --config and no HOME, /etc/mcp-launch/config.json is the config', async () => {
  const dir = makeRoot({ 'ca.pem': readFileSync(certs.caFile), 'etc/hosts': `127.0.0.1 ${NAME}\n`,
    'etc/mcp-launch/config.json': config() });
  try {
    const r = await inRoot(dir, ['read', 'secrets.vault.[mcp/github#token]']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'ghp_fromScratch0001\n');
    const listed = await inRoot(dir, ['list']);
    assert.equal(listed.status, 0, listed.stderr);
    assert.match(listed.stdout, /\/etc\/mcp-launch\/config\.json/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('without a CA file the error says how to give one', async () => {
  const dir = makeRoot({ 'etc/hosts': `127.0.0.1 ${NAME}\n`, 'config.json': config({ caFile: false }) });
  try {
    const r = await inRoot(dir, ['read', '--config', '/config.json', 'secrets.vault.[mcp/github#token]']);
    assert.equal(r.status, 78, r.stderr);
    assert.match(r.stderr, /no trusted certificates .*: give the store a caFile, or set SSL_CERT_FILE/);
    assert.equal(r.stdout, '');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('SSL_CERT_FILE instead of a caFile; the name resolved through /etc/resolv.conf', async (t) => {
  // A DNS server on 127.0.0.1:53 that answers A queries for NAME with 127.0.0.1.
  const dns = createSocket('udp4');
  try {
    await new Promise((resolve, reject) => { dns.once('error', reject); dns.bind(53, '127.0.0.1', resolve); });
  } catch (e) {
    t.skip(`cannot listen on 127.0.0.1:53 for the DNS double (${e.code})`);
    return;
  }
  let asked = 0;
  dns.on('message', (q, peer) => {
    asked++;
    const id = q.subarray(0, 2);
    let end = 12;
    while (q[end] !== 0) end += q[end] + 1;
    const question = q.subarray(12, end + 5);
    const qtype = q.readUInt16BE(end + 1);
    const header = Buffer.from([0, 0, 0x81, 0x80, 0, 1, 0, qtype === 1 ? 1 : 0, 0, 0, 0, 0]);
    id.copy(header);
    const answer = qtype === 1 ? Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1]) : Buffer.alloc(0);
    dns.send(Buffer.concat([header, question, answer]), peer.port, peer.address);
  });
  const dir = makeRoot({ 'etc/ssl/bundle.pem': readFileSync(certs.caFile), 'etc/resolv.conf': 'nameserver 127.0.0.1\n',
    'config.json': config({ caFile: false }) });
  try {
    const r = await inRoot(dir, ['read', '--config', '/config.json', 'secrets.vault.[mcp/github#token]'],
      { SSL_CERT_FILE: '/etc/ssl/bundle.pem' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'ghp_fromScratch0001\n');
    assert.ok(asked >= 1, 'the DNS double was asked');
  } finally {
    dns.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
