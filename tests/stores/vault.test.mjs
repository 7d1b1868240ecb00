// The built launcher against a Vault double over HTTPS on loopback, with a CA made at test
// time: every feature and error of the `hashicorp_vault` store.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCertificates } from './lib/tls.mjs';
import { startVault } from './lib/vault.mjs';
import { launch, childEnv, readJson, tempDir } from './lib/launch.mjs';

let certs;
let vault;
before(async () => {
  certs = makeCertificates();
  vault = await startVault({ tls: certs.localhost });
  vault.put('mcp/github', { token: 'ghp_vaultSecret0001' });
  vault.put('mcp/db', { user: 'app', password: 'pw-db-0002', port: 5432 });
  vault.put('mcp/rotated', { key: 'old-value-0003' });
  vault.put('mcp/rotated', { key: 'new-value-0004' });
  vault.put('mcp/gone', { key: 'v1-0005' });
  vault.put('mcp/gone', null);
  vault.put('team/ns-secret', { key: 'in-namespace-0006' }, { ns: 'team-a' });
  vault.put('other/path', { key: 'kv-other-mount-0007' }, { mount: 'kv' });
  vault.state.mounts.add('kv');
});
after(async () => { await vault.close(); certs.remove(); });

const store = (configuration, mappings = []) => ({
  secretStores: [{ name: 'vault', type: 'hashicorp_vault', configuration, mappings }],
});
const base = (extra = {}) => ({ address: vault.url, caFile: certs.caFile, ...extra });

test('a token in the configuration reads a single-key secret, a selected key, a version', async () => {
  const token = vault.token();
  const r = await launch(['read', '--json', '{{ secrets.vault.[mcp/github] }}',
    '{{ secrets.vault.[mcp/db#password] }}', '{{ secrets.vault.[mcp/db#port] }}',
    '{{ secrets.vault.[mcp/rotated?version=1] }}', '{{ secrets.vault.[mcp/rotated] }}',
    '{{ secrets.vault.db }}'],
  { config: store(base({ token }), [{ name: 'db', secretIdentifier: 'mcp/db#user' }]) });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readJson(r.stdout), {
    '{{ secrets.vault.[mcp/github] }}': 'ghp_vaultSecret0001',
    '{{ secrets.vault.[mcp/db#password] }}': 'pw-db-0002',
    '{{ secrets.vault.[mcp/db#port] }}': '5432',
    '{{ secrets.vault.[mcp/rotated?version=1] }}': 'old-value-0003',
    '{{ secrets.vault.[mcp/rotated] }}': 'new-value-0004',
    '{{ secrets.vault.db }}': 'app',
  });
  const reads = vault.stats.seen.filter((s) => s.headers['x-vault-token'] === token);
  assert.equal(reads.filter((s) => s.path === '/v1/secret/data/mcp/db').length, 1,
    'three keys of one path: one request');
  for (const s of reads) assert.ok(!s.query.includes(token) && !s.path.includes(token));
});

test('several keys without a selector: content error naming the keys, never the values', async () => {
  const r = await launch(['read', '{{ secrets.vault.[mcp/db] }}'], { config: store(base({ token: vault.token() })) });
  assert.equal(r.code, 65);
  assert.match(r.stderr, /3 keys \(password, port, user\)/);
  assert.ok(!r.stderr.includes('pw-db-0002'));
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
});

test('VAULT_ADDR, VAULT_CACERT and VAULT_TOKEN; the token does not reach the child', async () => {
  const token = vault.token();
  const r = await launch(['--', 'env', '-0'], {
    config: { ...store({}), mcpServers: {} },
    env: { VAULT_ADDR: vault.url, VAULT_CACERT: certs.caFile, VAULT_TOKEN: token,
           GITHUB_TOKEN: '{{ secrets.vault.[mcp/github] }}' },
  });
  assert.equal(r.code, 0, r.stderr);
  const env = childEnv(r.stdout);
  assert.equal(env.GITHUB_TOKEN, 'ghp_vaultSecret0001');
  assert.equal(env.VAULT_TOKEN, undefined, 'the consumed token is removed');
  assert.equal(env.VAULT_ADDR, vault.url, 'the address is not a credential');
  const kept = await launch(['--keep-env', 'VAULT_TOKEN', '--', 'env', '-0'], {
    config: store({}), env: { VAULT_ADDR: vault.url, VAULT_CACERT: certs.caFile,
                              VAULT_TOKEN: token, X: '{{ secrets.vault.[mcp/github] }}' } });
  assert.equal(childEnv(kept.stdout).VAULT_TOKEN, token, '--keep-env keeps it');
});

test('a token read through {{ env.X }} is consumed too', async () => {
  const r = await launch(['--', 'env', '-0'], {
    config: store(base({ token: '{{ env.MY_VAULT_TOKEN }}' })),
    env: { MY_VAULT_TOKEN: vault.token(), X: '{{ secrets.vault.[mcp/github] }}' },
  });
  assert.equal(r.code, 0, r.stderr);
  const env = childEnv(r.stdout);
  assert.equal(env.X, 'ghp_vaultSecret0001');
  assert.equal(env.MY_VAULT_TOKEN, undefined);
});

test('~/.vault-token when nothing else gives a token', async () => {
  const home = tempDir('mcpl-vhome-');
  writeFileSync(join(home, '.vault-token'), vault.token() + '\n', { mode: 0o600 });
  const r = await launch(['read', '{{ secrets.vault.[mcp/github] }}'],
    { config: store(base()), env: { HOME: home } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'ghp_vaultSecret0001\n');
  const none = await launch(['read', '{{ secrets.vault.[mcp/github] }}'], { config: store(base()) });
  assert.equal(none.code, 78);
  assert.match(none.stderr, /no Vault token/);
});

test('namespace and mountPath go where Vault expects them', async () => {
  const ns = await launch(['read', '{{ secrets.vault.[team/ns-secret] }}'],
    { config: store(base({ token: vault.token(['*'], 'team-a'), namespace: 'team-a' })) });
  assert.equal(ns.code, 0, ns.stderr);
  assert.equal(ns.stdout, 'in-namespace-0006\n');
  const nsEnv = await launch(['read', '{{ secrets.vault.[team/ns-secret] }}'],
    { config: store(base({ token: vault.token(['*'], 'team-a') })), env: { VAULT_NAMESPACE: 'team-a' } });
  assert.equal(nsEnv.stdout, 'in-namespace-0006\n', nsEnv.stderr);
  const mount = await launch(['read', '{{ secrets.vault.[other/path] }}'],
    { config: store(base({ token: vault.token(), mountPath: 'kv' })) });
  assert.equal(mount.stdout, 'kv-other-mount-0007\n', mount.stderr);
});

test('AppRole: one login per launch however many references', async () => {
  const before = vault.state.logins;
  const config = store(base({ auth: { method: 'approle', roleId: 'role-id-1', secretId: '{{ env.SECRET_ID }}' } }));
  const refs = ['mcp/github', 'mcp/db#user', 'mcp/db#password', 'mcp/rotated', 'mcp/rotated?version=1']
    .map((p) => `{{ secrets.vault.[${p}] }}`);
  const r = await launch(['--', 'env', '-0'], {
    config, env: Object.fromEntries([['SECRET_ID', 'secret-id-1'], ...refs.map((ref, i) => [`V${i}`, ref])]) });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(vault.state.logins - before, 1);
  const env = childEnv(r.stdout);
  assert.equal(env.V2, 'pw-db-0002');
  assert.equal(env.SECRET_ID, undefined, 'the secret ID read through env is consumed');
  const check = await launch(['check', '--json', '--', 'true'], { config, env: { SECRET_ID: 'secret-id-1', V: refs[0] } });
  assert.deepEqual(JSON.parse(check.stdout).credentials, { vault: 'AppRole login at auth/approle' });
  const bad = await launch(['read', '{{ secrets.vault.[mcp/github] }}'],
    { config, env: { SECRET_ID: 'wrong' } });
  assert.equal(bad.code, 77);
  assert.match(bad.stderr, /login: HTTP 400: invalid role or secret ID/);
  assert.ok(!bad.stderr.includes('wrong'));
});

test('Kubernetes: the service-account JWT from jwtFile logs in once', async () => {
  const dir = tempDir('mcpl-k8s-');
  writeFileSync(join(dir, 'token'), 'eyJ.k8s.jwt');
  const before = vault.state.logins;
  const r = await launch(['read', '{{ secrets.vault.[mcp/github] }}', '{{ secrets.vault.[mcp/db#user] }}'], {
    config: store(base({ auth: { method: 'kubernetes', role: 'mcp', jwtFile: join(dir, 'token') } })) });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'ghp_vaultSecret0001\napp\n');
  assert.equal(vault.state.logins - before, 1);
  const login = vault.stats.seen.findLast((s) => s.path === '/v1/auth/kubernetes/login');
  assert.deepEqual(JSON.parse(login.body), { role: 'mcp', jwt: 'eyJ.k8s.jwt' });
  const wrongRole = await launch(['read', '{{ secrets.vault.[mcp/github] }}'], {
    config: store(base({ auth: { method: 'kubernetes', role: 'other', jwtFile: join(dir, 'token') } })) });
  assert.equal(wrongRole.code, 77);
  const noFile = await launch(['read', '{{ secrets.vault.[mcp/github] }}'], {
    config: store(base({ auth: { method: 'kubernetes', role: 'mcp', jwtFile: join(dir, 'absent') } })) });
  assert.equal(noFile.code, 78);
  assert.match(noFile.stderr, /auth.jwtFile/);
});

test('403 is 77, 404 is 78 (also for a deleted version), each with Vault\'s reason', async () => {
  const limited = vault.token(['mcp/github']);
  const r = await launch(['read', '{{ secrets.vault.[mcp/db#user] }}'], { config: store(base({ token: limited })) });
  assert.equal(r.code, 77);
  assert.match(r.stderr, /store 'vault': HTTP 403: permission denied/);
  const missing = await launch(['read', '{{ secrets.vault.[mcp/nothing] }}'], { config: store(base({ token: vault.token() })) });
  assert.equal(missing.code, 78);
  assert.match(missing.stderr, /secret not found: secret\/mcp\/nothing/);
  const deleted = await launch(['read', '{{ secrets.vault.[mcp/gone] }}'], { config: store(base({ token: vault.token() })) });
  assert.equal(deleted.code, 78);
  assert.match(deleted.stderr, /secret not found: secret\/mcp\/gone/);
  const badToken = await launch(['read', '{{ secrets.vault.[mcp/github] }}'], { config: store(base({ token: 'hvs.invalid' })) });
  assert.equal(badToken.code, 77);
  assert.ok(!badToken.stderr.includes('hvs.invalid'));
});

test('sealed (503) after retries is 69; a 429 with Retry-After is retried and succeeds', async () => {
  vault.state.sealed = true;
  const sealed = await launch(['read', '{{ secrets.vault.[mcp/github] }}'], { config: store(base({ token: vault.token() })) });
  vault.state.sealed = false;
  assert.equal(sealed.code, 69);
  assert.match(sealed.stderr, /HTTP 503: Vault is sealed/);
  const seenBefore = vault.stats.requests;
  vault.faults.push({ status: 429, retryAfter: 1, json: { errors: ['rate limit quota exceeded'] } });
  const limited = await launch(['read', '{{ secrets.vault.[mcp/github] }}'], { config: store(base({ token: vault.token() })) });
  assert.equal(limited.code, 0, limited.stderr);
  assert.equal(vault.stats.requests - seenBefore, 2);
  assert.ok(limited.ms >= 1000, `Retry-After: 1 was honoured (${limited.ms} ms)`);
});

test('bad configuration is one line, exit 78, and nothing is asked of the network', async () => {
  const cases = [
    [{ token: 't' }, /configuration.address is required/],
    [{ address: 'http://vault.example.com', token: 't' }, /plain http:\/\/ is only allowed to a loopback/],
    [{ address: 'ftp://x', token: 't' }, /only https:\/\/ and http:\/\//],
    [{ address: vault.url, token: 't', auth: { method: 'approle', roleId: 'r', secretId: 's' } }, /both token and auth/],
    [{ address: vault.url, auth: { method: 'ldap' } }, /auth.method must be/],
    [{ address: vault.url, auth: { method: 'approle', roleId: 'r' } }, /auth.secretId is required/],
    [{ address: vault.url, token: 't', caFile: '/nonexistent/ca.pem' }, /caFile: cannot load/],
  ];
  const before = vault.stats.requests;
  for (const [configuration, message] of cases) {
    const r = await launch(['read', '{{ secrets.vault.[mcp/github] }}'], { config: store(configuration) });
    assert.equal(r.code, 78, `${JSON.stringify(configuration)}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  const version = await launch(['read', '{{ secrets.vault.[mcp/github?version=x] }}'], { config: store(base({ token: 't' })) });
  assert.equal(version.code, 78);
  assert.match(version.stderr, /the only qualifier is \?version=N/);
  assert.equal(vault.stats.requests, before);
});

test('dot segments and control characters in a path are refused before any request', async () => {
  const token = vault.token();
  for (const id of ['mcp/..', 'mcp/../sys/policy', './mcp/github', 'mcp/./github', 'mcp/github\r\nX: 1']) {
    const before = vault.stats.requests;
    const r = await launch(['read', `{{ secrets.vault.[${id}] }}`],
      { config: store(base({ token })) });
    assert.equal(r.code, 78, `${JSON.stringify(id)}: ${r.stderr}`);
    assert.match(r.stderr, /path segment|control character/);
    assert.equal(vault.stats.requests, before, 'no request was made');
  }
  const mount = await launch(['read', '{{ secrets.vault.[mcp/github] }}'],
    { config: store(base({ token, mountPath: 'secret/../sys' })) });
  assert.equal(mount.code, 78, mount.stderr);
  assert.match(mount.stderr, /mountPath: it has a '\.\.' path segment/);
});
