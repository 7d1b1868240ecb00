// The built launcher against Azure doubles over HTTPS on loopback (Key Vault and Microsoft
// Entra ID, a CA made at test time; the managed identity endpoints over plain HTTP, as on
// Azure): every credential source, identifier form, and error of the `azure_key_vault` store.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCertificates } from './lib/tls.mjs';
import { startAzure } from './lib/azure.mjs';
import { launch, childEnv, values, tempDir } from './lib/launch.mjs';
import { startProxy } from './lib/proxy.mjs';

let certs, az, versions;
const dir = tempDir('mcpl-azure-');

before(async () => {
  certs = makeCertificates();
  az = await startAzure({ tls: certs.localhost });
  versions = {};
  az.put('github-token', 'ghp_azureSecret0001');
  az.put('db', JSON.stringify({ user: 'app', password: 'pw-azure-0002' }));
  versions.old = az.put('rotated', 'old-0003');
  az.put('rotated', 'new-0004');
});
after(async () => { await az.close(); certs.remove(); });

const base = (extra = {}) => ({ vaultUrl: az.url, authorityHost: az.authorityHost, caFile: certs.caFile, ...extra });
const withSecret = (extra = {}) => base({ tenantId: az.state.tenant, clientId: 'app-client-id', clientSecret: 'app-client-secret~0001', ...extra });
const store = (configuration, mappings = []) => ({
  secretStores: [{ name: 'azure', type: 'azure_key_vault', configuration, mappings }],
});
const ref = (id) => `{{ secrets.azure.[${id}] }}`;
const offImds = { AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:9' };

test('a client secret: names, versions, selectors, mappings; one token per launch', async () => {
  const refs = [ref('github-token'), ref('db#password'), ref(`rotated/${versions.old}`), ref('rotated'), '{{ secrets.azure.user }}'];
  const before = az.state.tokenRequests;
  const r = await launch(['read', '--json', ...refs], { config: store(withSecret(), [{ name: 'user', secretIdentifier: 'db#user' }]) });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(values(r, refs), ['ghp_azureSecret0001', 'pw-azure-0002', 'old-0003', 'new-0004', 'app']);
  assert.equal(az.state.tokenRequests - before, 1);
});

test('AZURE_CLIENT_SECRET from the environment does not reach the child', async () => {
  const r = await launch(['--', 'env', '-0'], { config: store(base()), env: { AZURE_TENANT_ID: az.state.tenant,
    AZURE_CLIENT_ID: 'app-client-id', AZURE_CLIENT_SECRET: 'app-client-secret~0001', T: ref('github-token') } });
  assert.equal(r.code, 0, r.stderr);
  const env = childEnv(r.stdout);
  assert.equal(env.T, 'ghp_azureSecret0001');
  assert.equal(env.AZURE_CLIENT_SECRET, undefined);
  assert.equal(env.AZURE_CLIENT_ID, 'app-client-id', 'not a credential: it stays');
});

test('workload identity (AKS): the federated token file as the client assertion', async () => {
  const tokenFile = join(dir, 'azure-identity-token');
  writeFileSync(tokenFile, az.state.federated.token);
  const env = { AZURE_TENANT_ID: az.state.tenant, AZURE_CLIENT_ID: az.state.federated.clientId,
    AZURE_FEDERATED_TOKEN_FILE: tokenFile, AZURE_AUTHORITY_HOST: az.authorityHost };
  const r = await launch(['read', ref('github-token')], { config: store({ vaultUrl: az.url, caFile: certs.caFile }), env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'ghp_azureSecret0001\n');
  writeFileSync(tokenFile, 'eyJ.other.sig');
  const bad = await launch(['read', ref('github-token')], { config: store({ vaultUrl: az.url, caFile: certs.caFile }), env });
  assert.equal(bad.code, 77);
  assert.match(bad.stderr, /AADSTS70021: No matching federated identity record found/);
});

test('managed identity: App Service\'s IDENTITY_ENDPOINT, then IMDS', async () => {
  const app = await launch(['--', 'env', '-0'], { config: store(base()), env: { IDENTITY_ENDPOINT: az.identityEndpoint,
    IDENTITY_HEADER: az.state.identityHeader, T: ref('github-token'), ...offImds } });
  assert.equal(app.code, 0, app.stderr);
  assert.equal(childEnv(app.stdout).T, 'ghp_azureSecret0001');
  assert.equal(childEnv(app.stdout).IDENTITY_HEADER, undefined);

  const vm = await launch(['read', ref('db#user')], { config: store(base()), env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: az.imdsUrl } });
  assert.equal(vm.code, 0, vm.stderr);
  assert.equal(vm.stdout, 'app\n');

  const off = await launch(['read', ref('github-token')], { config: store(base()), env: offImds });
  assert.equal(off.code, 78);
  assert.match(off.stderr, /no Azure credentials: .*, and the managed identity endpoint at http:\/\/127\.0\.0\.1:9 did not answer/);

  // A VM without an identity: IMDS answers 400 "Identity not found".
  az.state.noIdentity = true;
  const none = await launch(['read', ref('github-token')], { config: store(base()), env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: az.imdsUrl } });
  az.state.noIdentity = false;
  assert.equal(none.code, 78);
  assert.match(none.stderr, /no Azure credentials: .*the managed identity endpoint at .* answered HTTP 400/);
  assert.ok(off.ms < 5000, `${off.ms} ms`);
});

test('a user-assigned managed identity is named by its client ID, on IMDS and App Service', async () => {
  const imds = { AZURE_POD_IDENTITY_AUTHORITY_HOST: az.imdsUrl };
  const vm = await launch(['read', ref('db#user')], { config: store(base({ clientId: 'mi-user-client-id' })), env: imds });
  assert.equal(vm.code, 0, vm.stderr);
  assert.equal(az.state.lastIdentity, 'mi-user-client-id');
  const app = await launch(['read', ref('db#user')], { config: store(base()), env: { AZURE_CLIENT_ID: 'mi-user-client-id',
    IDENTITY_ENDPOINT: az.identityEndpoint, IDENTITY_HEADER: az.state.identityHeader, ...offImds } });
  assert.equal(app.code, 0, app.stderr);
  assert.equal(az.state.lastIdentity, 'mi-user-client-id');
  // An identity the machine does not have: no credentials there (78), as for none at all.
  const other = await launch(['read', ref('db#user')], { config: store(base({ clientId: 'not-assigned' })), env: imds });
  assert.equal(other.code, 78, other.stderr);
  assert.equal(az.state.lastIdentity, 'not-assigned');
});

test('a sovereign cloud\'s vault (Azure China) gets a token for its own audience', async () => {
  // mcp.vault.azure.cn reached through a proxy that resolves it to the double; the token
  // endpoint asked for vault.azure.cn's scope, and the vault checks the token's audience.
  const proxy = await startProxy({ hosts: { 'mcp.vault.azure.cn': '127.0.0.1' } });
  try {
    const r = await launch(['read', ref('db#user')], {
      config: store(withSecret({ vaultUrl: `https://mcp.vault.azure.cn:${az.port}` })), env: { HTTPS_PROXY: proxy.url } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'app\n');
    assert.equal(az.state.lastScope, 'https://vault.azure.cn/.default');
    assert.deepEqual(proxy.tunnels, [`mcp.vault.azure.cn:${az.port}`]);
  } finally { await proxy.close(); }
});

test('Azure\'s errors map to exit codes with Azure\'s message', async () => {
  const cases = [
    [withSecret(), ref('nope'), 78, /HTTP 404: SecretNotFound: A secret with \(name\/id\) nope was not found/],
    [withSecret({ clientSecret: 'wrong' }), ref('github-token'), 77, /HTTP 401: invalid_client: AADSTS7000215: Invalid client secret provided/],
    [withSecret({ clientId: 'nobody' }), ref('github-token'), 77, /AADSTS700016: Application with identifier 'nobody' was not found/],
    [withSecret({ tenantId: 'contoso.onmicrosoft.com' }), ref('github-token'), 77, /AADSTS90002: Tenant 'contoso.onmicrosoft.com' not found/],
    [withSecret(), ref('bad_name'), 78, /a Key Vault secret is NAME/],
    [base({ clientSecret: 'x' }), ref('github-token'), 78, /a client secret needs tenantId and clientId/],
    [{ ...withSecret(), vaultUrl: undefined }, ref('github-token'), 78, /configuration.vaultUrl is required/],
  ];
  for (const [configuration, reference, code, message] of cases) {
    const r = await launch(['read', reference], { config: store(JSON.parse(JSON.stringify(configuration))), env: offImds });
    assert.equal(r.code, code, `${reference}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.ok(!r.stderr.includes('app-client-secret~0001'));
  }
  az.state.denied.add('db');
  const denied = await launch(['read', ref('db')], { config: store(withSecret()) });
  az.state.denied.delete('db');
  assert.equal(denied.code, 77);
  assert.match(denied.stderr, /HTTP 403: Forbidden: The user, group or application does not have secrets get permission/);
});

test('429 with Retry-After is waited for; persistent throttling exits 69', async () => {
  az.faults.push({ status: 429, retryAfter: 0, path: '/secrets/', json: { error: { code: 'Throttled', message: 'Request was not processed because too many requests were received.' } } });
  const r = await launch(['read', ref('github-token')], { config: store(withSecret()) });
  assert.equal(r.code, 0, r.stderr);
  for (let i = 0; i < 4; i++) az.faults.push({ status: 429, retryAfter: 0, path: '/secrets/', json: { error: { code: 'Throttled', message: 'Too many requests' } } });
  const throttled = await launch(['read', ref('github-token')], { config: store(withSecret()) });
  az.faults.length = 0;
  assert.equal(throttled.code, 69);
  assert.match(throttled.stderr, /HTTP 429: Throttled/);
});

test('an IDENTITY_ENDPOINT that would inject a header line is refused before any request', async () => {
  const before = az.stats?.requests;
  const r = await launch(['read', ref('github-token')], { config: store(base()), env: {
    IDENTITY_ENDPOINT: `${az.identityEndpoint}\r\nX-Injected: 1`, IDENTITY_HEADER: az.state.identityHeader } });
  assert.equal(r.code, 78, r.stderr);
  assert.match(r.stderr, /IDENTITY_ENDPOINT: not a usable URL: it holds a space or a control character/);
  assert.equal(az.stats?.requests, before);
});

test('a Key Vault token goes to another host only when the configuration trusts it', async () => {
  // vault.internal.test is the double, reached through a proxy that knows the name: a vault
  // behind a private name, or anything else a mistyped or planted vaultUrl names.
  const proxy = await startProxy({ hosts: { 'vault.internal.test': '127.0.0.1' } });
  try {
    const vaultUrl = `https://vault.internal.test:${az.port}`;
    const env = { HTTPS_PROXY: proxy.url };
    const before = az.stats.requests;
    const refused = await launch(['read', ref('github-token')], { config: store(withSecret({ vaultUrl })), env });
    assert.equal(refused.code, 78, refused.stderr);
    assert.match(refused.stderr, /vault\.internal\.test is not a Key Vault host .*"trustVaultHost": true/);
    assert.equal(az.stats.requests, before, 'no token was asked for or sent');
    assert.deepEqual(proxy.tunnels, []);
    const trusted = await launch(['read', ref('github-token')],
      { config: store(withSecret({ vaultUrl, trustVaultHost: true })), env });
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.equal(trusted.stdout, 'ghp_azureSecret0001\n');
    assert.deepEqual(proxy.tunnels, [`vault.internal.test:${az.port}`]);
  } finally { await proxy.close(); }
});
