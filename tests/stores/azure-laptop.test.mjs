// Azure credentials as a developer or a CI runner has them, against the Azure doubles: a
// service principal's certificate (PEM, encrypted PEM, PKCS#12; the PS256 assertion checked
// by the Entra ID double), and the Azure CLI's login — a stand-in `az` on PATH (bin/az),
// reached after managed identity finds none, as DefaultAzureCredential reaches it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCertificates } from './lib/tls.mjs';
import { startAzure } from './lib/azure.mjs';
import { launch, childEnv, tempDir } from './lib/launch.mjs';

let certs, az;
const dir = tempDir('mcpl-azure-laptop-');
const fakeAzDir = fileURLToPath(new URL('./bin', import.meta.url));
const files = {};

before(async () => {
  certs = makeCertificates();
  az = await startAzure({ tls: certs.localhost });
  az.put('github-token', 'ghp_laptopAzure0001');
  // An app's certificate as `az ad sp create-for-rbac --create-cert` or openssl makes one.
  const openssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'app.key', '-out', 'app.crt', '-days', '2', '-subj', '/CN=mcp-launch-app');
  openssl('pkcs12', '-export', '-in', 'app.crt', '-inkey', 'app.key', '-out', 'app.pfx', '-passout', 'pass:pfx-pass-0001');
  openssl('pkey', '-in', 'app.key', '-aes256', '-passout', 'pass:pem-pass-0002', '-out', 'app.enc.key');
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.crt', '-days', '2', '-subj', '/CN=other');
  const text = (name) => readFileSync(join(dir, name), 'utf8');
  files.pem = join(dir, 'app.pem');
  writeFileSync(files.pem, text('app.crt') + text('app.key'));
  files.encrypted = join(dir, 'app.enc.pem');
  writeFileSync(files.encrypted, text('app.enc.key') + text('app.crt'));
  files.pfx = join(dir, 'app.pfx');
  files.other = join(dir, 'other.pem');
  writeFileSync(files.other, text('other.crt') + text('other.key'));
  files.key = text('app.key');
  az.registerCertificate('cert-client-id', text('app.crt'));
});
after(async () => { await az.close(); certs.remove(); });

const store = (extra = {}) => ({ secretStores: [{ name: 'azure', type: 'azure_key_vault',
  configuration: { vaultUrl: az.url, authorityHost: az.authorityHost, caFile: certs.caFile, ...extra } }] });
const ref = '{{ secrets.azure.[github-token] }}';
const offImds = { AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:9' };

test('a client certificate: PEM, encrypted PEM and PKCS#12 files, and PEM in the configuration', async () => {
  const ids = { AZURE_TENANT_ID: az.state.tenant, AZURE_CLIENT_ID: 'cert-client-id' };
  az.state.assertions.length = 0;
  const pem = await launch(['--', 'env', '-0'], { config: store(), env: { ...ids, AZURE_CLIENT_CERTIFICATE_PATH: files.pem, GH: ref } });
  assert.equal(pem.code, 0, pem.stderr);
  const child = childEnv(pem.stdout);
  assert.equal(child.GH, 'ghp_laptopAzure0001');
  assert.equal(child.AZURE_CLIENT_CERTIFICATE_PATH, undefined, 'consumed');
  for (const [path, password] of [[files.encrypted, 'pem-pass-0002'], [files.pfx, 'pfx-pass-0001']]) {
    const r = await launch(['--', 'env', '-0'], { config: store(), env: { ...ids, AZURE_CLIENT_CERTIFICATE_PATH: path,
      AZURE_CLIENT_CERTIFICATE_PASSWORD: password, GH: ref } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(childEnv(r.stdout).AZURE_CLIENT_CERTIFICATE_PASSWORD, undefined, 'consumed');
  }
  const configured = await launch(['read', ref], { config: store({ tenantId: az.state.tenant, clientId: 'cert-client-id',
    clientCertificate: '{{ env.APP_PEM }}' }), env: { APP_PEM: readFileSync(files.pem, 'utf8') } });
  assert.equal(configured.code, 0, configured.stderr);
  assert.equal(configured.stdout, 'ghp_laptopAzure0001\n');
  assert.deepEqual(az.state.assertions.map((h) => h.alg), ['PS256', 'PS256', 'PS256', 'PS256']);

  const check = await launch(['check', '--json', '--', 'true'], { config: store(), env: { ...ids, AZURE_CLIENT_CERTIFICATE_PATH: files.pem, GH: ref } });
  assert.deepEqual(JSON.parse(check.stdout).credentials, { azure: 'a client certificate' });
});

test('a certificate Entra ID does not know, a wrong password, a missing file: each says what', async () => {
  const ids = { AZURE_TENANT_ID: az.state.tenant, AZURE_CLIENT_ID: 'cert-client-id' };
  const other = await launch(['read', ref], { config: store(), env: { ...ids, AZURE_CLIENT_CERTIFICATE_PATH: files.other } });
  assert.equal(other.code, 77);
  assert.match(other.stderr, /AADSTS700027: The certificate with identifier used to sign the client assertion is not registered/);
  const wrong = await launch(['read', ref], { config: store(), env: { ...ids, AZURE_CLIENT_CERTIFICATE_PATH: files.pfx, AZURE_CLIENT_CERTIFICATE_PASSWORD: 'nope' } });
  assert.equal(wrong.code, 78);
  assert.match(wrong.stderr, /AZURE_CLIENT_CERTIFICATE_PATH .*app\.pfx: the PKCS#12 file does not open with that password/);
  const missing = await launch(['read', ref], { config: store(), env: { ...ids, AZURE_CLIENT_CERTIFICATE_PATH: join(dir, 'nope.pem') } });
  assert.equal(missing.code, 78);
  assert.match(missing.stderr, /AZURE_CLIENT_CERTIFICATE_PATH: .*nope\.pem/);
  for (const r of [other, wrong, missing]) {
    for (const line of files.key.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----')))
      assert.ok(!r.stderr.includes(line), 'a line of the key in an error');
    assert.ok(!r.stderr.includes('pfx-pass-0001'));
  }
});

/** A HOME where the stand-in az finds a login to `tenant` with a token for Key Vault. */
function azLogin({ expiresInSeconds = 3600, tenant = az.state.tenant } = {}) {
  const HOME = tempDir('mcpl-az-home-');
  mkdirSync(join(HOME, '.azure'));
  const accessToken = az.issueToken('https://vault.azure.net');
  writeFileSync(join(HOME, '.azure', 'fake-login.json'), JSON.stringify({ accessToken, expiresInSeconds, tenant }));
  return { HOME, accessToken };
}
const withAz = (env) => ({ PATH: `${fakeAzDir}:${process.env.PATH}`, ...offImds, ...env });

test('the Azure CLI\'s login, after managed identity finds none: no shell, the tenant passed, the token never shown', async () => {
  const log = join(dir, 'az.log');
  const { HOME, accessToken } = azLogin();
  const r = await launch(['--log-level', 'trace', '--', 'env', '-0'], { config: store(),
    env: withAz({ HOME, AZURE_TENANT_ID: az.state.tenant, FAKE_AZ_LOG: log, GH: ref }) });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(childEnv(r.stdout).GH, 'ghp_laptopAzure0001');
  assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l)),
    [['account', 'get-access-token', '--output', 'json', '--resource', 'https://vault.azure.net', '--tenant', az.state.tenant]]);
  assert.ok(!r.stderr.includes(accessToken), 'the CLI\'s token in a log line');
  const check = await launch(['check', '--json', '--', 'true'], { config: store(), env: withAz({ HOME, GH: ref }) });
  assert.equal(check.code, 0, check.stderr);
  assert.deepEqual(JSON.parse(check.stdout).credentials, { azure: 'the Azure CLI\'s login (az)' });
});

test('the Azure CLI: not logged in (77), not installed (78, with both reasons), stuck (killed at the deadline)', async () => {
  const out = await launch(['read', ref], { config: store(), env: withAz({ HOME: tempDir('mcpl-az-none-') }) });
  assert.equal(out.code, 77, out.stderr);
  assert.match(out.stderr, /the Azure CLI is not logged in \(ERROR: Please run 'az login' to setup account\.\): run `az login`/);
  const none = await launch(['read', ref], { config: store(), env: { ...offImds, PATH: '/usr/bin:/bin' } });
  assert.equal(none.code, 78, none.stderr);
  assert.match(none.stderr, /no Azure credentials: .*managed identity endpoint .* did not answer.*; no Azure CLI login \(az is not on PATH\)/);
  const stuck = await launch(['--timeout', '3s', 'read', ref], { config: store(), env: withAz({ ...azLogin(), FAKE_AZ_SLEEP: '60' }) });
  assert.equal(stuck.code, 69, stuck.stderr);
  assert.ok(stuck.ms < 10_000, `took ${stuck.ms} ms`);
  assert.match(stuck.stderr, /no answer before --timeout 3s ran out/);
});

test('supervise: the CLI\'s token is renewed before it lapses, the CLI reaped by the launcher\'s own reaper', async () => {
  const log = join(dir, 'az-supervise.log');
  const { HOME } = azLogin({ expiresInSeconds: 2 });
  const r = await launch(['--supervise', '--refresh', '1s', '--', 'sh', '-c', 'sleep 4; printf %s "$GH"'],
    { config: { ...store(), cache: { ttl: '1s' } }, env: withAz({ HOME, FAKE_AZ_LOG: log, GH: ref }), timeoutMs: 20_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'ghp_laptopAzure0001');
  const runs = readFileSync(log, 'utf8').trim().split('\n').length;
  assert.ok(runs >= 2, `az ran ${runs} time(s): the 2-second token was not renewed`);
});
