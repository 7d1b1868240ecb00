// The built launcher against GCP doubles over HTTPS on loopback (Secret Manager and the
// OAuth token endpoint, a CA made at test time; the metadata server over plain HTTP, as on
// GCE): every credential source, identifier form, and error of the `gcp_secret_manager` store.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCertificates } from './lib/tls.mjs';
import { startGcp } from './lib/gcp.mjs';
import { startServer } from './lib/server.mjs';
import { launch, childEnv, values, tempDir } from './lib/launch.mjs';

let certs, gcp, key;
const dir = tempDir('mcpl-gcp-');

before(async () => {
  certs = makeCertificates();
  gcp = await startGcp({ tls: certs.localhost });
  key = gcp.serviceAccount();
  gcp.put('github-token', 'ghp_gcpSecret0001');
  gcp.put('db', JSON.stringify({ user: 'app', password: 'pw-gcp-0002' }));
  gcp.put('rotated', 'old-0003');
  gcp.put('rotated', 'new-0004');
  gcp.put('binary', Buffer.from([0, 1, 0xfe, 0x42]));
  gcp.put('disabled', 'never-0005', { disabled: true });
  gcp.put('other', 'other-project-0006', { project: 'proj-2' });
});
after(async () => { await gcp.close(); certs.remove(); });

const store = (configuration = {}, mappings = []) => ({
  secretStores: [{ name: 'gcp', type: 'gcp_secret_manager',
    configuration: { endpoint: gcp.url, caFile: certs.caFile, ...configuration }, mappings }],
});
const ref = (id) => `{{ secrets.gcp.[${id}] }}`;
const offMetadata = { GCE_METADATA_HOST: '127.0.0.1:9' };

test('a key in the configuration: short and full names, versions, selectors, mappings; one token', async () => {
  const refs = [ref('github-token'), ref('projects/proj-1/secrets/db#password'),
    ref('projects/proj-1/secrets/rotated/versions/1'), ref('rotated'),
    ref('projects/proj-1/secrets/rotated/versions/latest'), '{{ secrets.gcp.user }}'];
  const before = gcp.state.tokenRequests;
  const r = await launch(['read', '--json', ...refs],
    { config: store({ serviceAccountKey: key }, [{ name: 'user', secretIdentifier: 'db#user' }]), env: offMetadata });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(values(r, refs), ['ghp_gcpSecret0001', 'pw-gcp-0002', 'old-0003', 'new-0004', 'new-0004', 'app']);
  assert.equal(gcp.state.tokenRequests - before, 1, 'one token per launch');
});

test('the key as a string, read from a file by a reference; binary payloads as files', async () => {
  const keyFile = join(dir, 'key.json');
  writeFileSync(keyFile, JSON.stringify(key));
  const r = await launch(['--', 'sh', '-c', 'od -An -tx1 "$B"'], { config: store({ serviceAccountKey: `{{ file.[${keyFile}] }}` }),
    env: { B: '{{ secrets.gcp.[binary] | file }}', ...offMetadata } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '00 01 fe 42');
});

test('GOOGLE_APPLICATION_CREDENTIALS: the key file, which the child is not told of', async () => {
  const keyFile = join(dir, 'adc.json');
  writeFileSync(keyFile, JSON.stringify(key));
  const r = await launch(['--', 'env', '-0'], { config: store(),
    env: { GOOGLE_APPLICATION_CREDENTIALS: keyFile, T: ref('github-token'), ...offMetadata } });
  assert.equal(r.code, 0, r.stderr);
  const env = childEnv(r.stdout);
  assert.equal(env.T, 'ghp_gcpSecret0001');
  assert.equal(env.GOOGLE_APPLICATION_CREDENTIALS, undefined);

  // Workload identity federation is not supported (gcp-adc.test.mjs has the types that are).
  writeFileSync(join(dir, 'external.json'), JSON.stringify({ type: 'external_account', audience: 'x' }));
  const external = await launch(['read', ref('github-token')], { config: store(), env: { GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'external.json') } });
  assert.equal(external.code, 78);
  assert.match(external.stderr, /external\.json \(GOOGLE_APPLICATION_CREDENTIALS\): a credential of type 'external_account' is not supported/);
  const missing = await launch(['read', ref('github-token')], { config: store(), env: { GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'nope.json') } });
  assert.equal(missing.code, 78);
  assert.match(missing.stderr, /GOOGLE_APPLICATION_CREDENTIALS: .*nope\.json/);
});

test('the metadata server (GCE, GKE, Cloud Run): token and project, Metadata-Flavor both ways', async () => {
  const env = { GCE_METADATA_HOST: gcp.metadataHost };
  const r = await launch(['read', '--json', ref('github-token'), ref('db#user')], { config: store(), env });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(values(r, [ref('github-token'), ref('db#user')]), ['ghp_gcpSecret0001', 'app']);

  const off = await launch(['read', ref('github-token')], { config: store(), env: offMetadata });
  assert.equal(off.code, 78);
  assert.match(off.stderr, /no GCP credentials: .*, and the metadata server at http:\/\/127\.0\.0\.1:9 did not answer/);
  assert.ok(off.ms < 5000, `${off.ms} ms`);

  // Something else answering at that name (a captive portal) is not taken for it.
  const portal = await startServer({ route: async () => ({ status: 200, json: { access_token: 'portal' } }) });
  const notGoogle = await launch(['read', ref('github-token')], { config: store(), env: { GCE_METADATA_HOST: portal.url.slice(7) } });
  await portal.close();
  assert.equal(notGoogle.code, 78, notGoogle.stderr);
  assert.match(notGoogle.stderr, /answered, but not as Google's metadata server/);
});

test('Google\'s errors map to exit codes with Google\'s message', async () => {
  const cases = [
    [ref('nope'), 78, /HTTP 404: NOT_FOUND: Secret \[projects\/123456789\/secrets\/nope\] not found/],
    [ref('projects/proj-2/secrets/other'), 77, /HTTP 403: PERMISSION_DENIED: Permission 'secretmanager.versions.access' denied/],
    [ref('disabled'), 78, /FAILED_PRECONDITION: .* is in DISABLED state/],
    [ref('projects/proj-1/secrets/a/b'), 78, /a secret is S, projects\/P\/secrets\/S or projects\/P\/secrets\/S\/versions\/V/],
  ];
  for (const [reference, code, message] of cases) {
    const r = await launch(['read', reference], { config: store({ serviceAccountKey: key }), env: offMetadata });
    assert.equal(r.code, code, `${reference}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  const stranger = { ...key, private_key: gcp.serviceAccount({ name: 'other' }).private_key };
  const bad = await launch(['read', ref('github-token')], { config: store({ serviceAccountKey: stranger }), env: offMetadata });
  assert.equal(bad.code, 77);
  assert.match(bad.stderr, /token endpoint .*\/token \(key configuration.serviceAccountKey\): HTTP 400: invalid_grant: Invalid JWT Signature/);
  gcp.state.revokeTokens = true;  // a token Google no longer accepts: 401 UNAUTHENTICATED
  const revoked = await launch(['read', ref('github-token')], { config: store({ serviceAccountKey: key }), env: offMetadata });
  gcp.state.revokeTokens = false;
  assert.equal(revoked.code, 77, revoked.stderr);
  assert.match(revoked.stderr, /HTTP 401: UNAUTHENTICATED: Request had invalid authentication credentials/);
  const notRsa = await launch(['read', ref('github-token')], { config: store({ serviceAccountKey: { ...key, private_key: 'garbage' } }), env: offMetadata });
  assert.equal(notRsa.code, 78);
  assert.match(notRsa.stderr, /the private key is not a PEM private key/);
  assert.ok(!notRsa.stderr.includes('garbage'));
});

test('a damaged payload is refused; 5xx retried; persistent 429 exits 69', async () => {
  gcp.state.corruptCrc = true;
  const damaged = await launch(['read', ref('github-token')], { config: store({ serviceAccountKey: key }), env: offMetadata });
  gcp.state.corruptCrc = false;
  assert.equal(damaged.code, 69);
  assert.match(damaged.stderr, /does not match its CRC32C/);
  gcp.faults.push({ status: 503, path: ':access' });
  const retried = await launch(['read', ref('github-token')], { config: store({ serviceAccountKey: key }), env: offMetadata });
  assert.equal(retried.code, 0, retried.stderr);
  for (let i = 0; i < 4; i++) gcp.faults.push({ status: 429, path: ':access', json: { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded' } } });
  const throttled = await launch(['read', ref('github-token')], { config: store({ serviceAccountKey: key }), env: offMetadata });
  gcp.faults.length = 0;
  assert.equal(throttled.code, 69);
});
