// Application Default Credentials as a developer's laptop has them, against the GCP doubles:
// the file `gcloud auth application-default login` writes (authorized_user: the refresh-token
// grant, the quota project), the one it writes with --impersonate-service-account, the
// store's impersonateServiceAccount, and google-auth's order — GOOGLE_APPLICATION_CREDENTIALS,
// then the well-known file ($CLOUDSDK_CONFIG or ~/.config/gcloud), then the metadata server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCertificates } from './lib/tls.mjs';
import { startGcp } from './lib/gcp.mjs';
import { launch, childEnv, tempDir } from './lib/launch.mjs';

let certs, gcp;
const dir = tempDir('mcpl-gcp-adc-');
const reader = 'reader@proj-1.iam.gserviceaccount.com';
const hop = 'hop@proj-1.iam.gserviceaccount.com';

before(async () => {
  certs = makeCertificates();
  gcp = await startGcp({ tls: certs.localhost });
  gcp.put('github-token', 'ghp_adcSecret0001');
  gcp.impersonable(hop, { projects: [], tokenCreators: ['user:dev@example.com'] });
  gcp.impersonable(reader, { projects: ['proj-1'], tokenCreators: [hop, 'user:dev@example.com'] });
});
after(async () => { await gcp.close(); certs.remove(); });

const store = (configuration = {}) => ({ secretStores: [{ name: 'gcp', type: 'gcp_secret_manager',
  configuration: { endpoint: gcp.url, caFile: certs.caFile, projectId: 'proj-1', ...configuration } }] });
const ref = '{{ secrets.gcp.[github-token] }}';
const offMetadata = { GCE_METADATA_HOST: '127.0.0.1:9' };
// gcloud writes no token_uri (Google's is the default); the file names the double's, as
// google-auth reads it.
const userFile = (options) => ({ ...gcp.authorizedUser(options), token_uri: gcp.tokenUri });

/** A HOME whose gcloud configuration directory holds `adc` as application_default_credentials.json. */
function home(adc, { under = '.config/gcloud' } = {}) {
  const h = tempDir('mcpl-gcp-home-');
  mkdirSync(join(h, under), { recursive: true });
  if (adc) writeFileSync(join(h, under, 'application_default_credentials.json'), JSON.stringify(adc));
  return h;
}

test('gcloud auth application-default login: the refresh token buys an access token; the quota project goes along', async () => {
  const file = userFile({ quota: 'billing-1' });
  const HOME = home(file);
  gcp.state.readers.length = 0;
  gcp.state.quotaProjects.length = 0;
  const r = await launch(['--', 'env', '-0'], { config: store(), env: { HOME, ...offMetadata, GH: ref } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(childEnv(r.stdout).GH, 'ghp_adcSecret0001');
  assert.deepEqual(gcp.state.readers, ['user:dev@example.com']);
  assert.deepEqual(gcp.state.quotaProjects, ['billing-1']);

  const check = await launch(['check', '--json', '--', 'env'], { config: store(), env: { HOME, ...offMetadata, GH: ref } });
  assert.equal(check.code, 0, check.stderr);
  assert.deepEqual(JSON.parse(check.stdout).credentials,
    { gcp: `the gcloud ADC file ${join(HOME, '.config/gcloud/application_default_credentials.json')}` });

  // CLOUDSDK_CONFIG moves gcloud's directory, and the file with it.
  const moved = home(file, { under: 'elsewhere' });
  const m = await launch(['read', ref], { config: store(), env: { HOME: home(null), CLOUDSDK_CONFIG: join(moved, 'elsewhere'), ...offMetadata } });
  assert.equal(m.code, 0, m.stderr);
  assert.equal(m.stdout, 'ghp_adcSecret0001\n');
});

test('a revoked refresh token is a refusal that says how to log in again', async () => {
  const file = userFile();
  gcp.state.users.delete(file.refresh_token);
  const r = await launch(['read', ref], { config: store(), env: { HOME: home(file), ...offMetadata } });
  assert.equal(r.code, 77);
  assert.match(r.stderr, /invalid_grant: Token has been expired or revoked.*run `gcloud auth application-default login`/);
  assert.ok(!r.stderr.includes(file.refresh_token) && !r.stderr.includes(file.client_secret));
});

test('google-auth\'s order: GOOGLE_APPLICATION_CREDENTIALS, then the well-known file, then the metadata server', async () => {
  const key = gcp.serviceAccount({ name: 'keyed' });
  const keyFile = join(dir, 'key.json');
  writeFileSync(keyFile, JSON.stringify(key));
  const HOME = home(userFile());
  gcp.state.readers.length = 0;
  const both = await launch(['--', 'env', '-0'], { config: store(), env: { HOME, GOOGLE_APPLICATION_CREDENTIALS: keyFile, ...offMetadata, GH: ref } });
  assert.equal(both.code, 0, both.stderr);
  assert.equal(childEnv(both.stdout).GOOGLE_APPLICATION_CREDENTIALS, undefined, 'consumed');
  const wellKnown = await launch(['read', ref], { config: store(), env: { HOME, ...offMetadata } });
  assert.equal(wellKnown.code, 0, wellKnown.stderr);
  const metadata = await launch(['read', ref], { config: store(), env: { HOME: home(null), GCE_METADATA_HOST: gcp.metadataHost } });
  assert.equal(metadata.code, 0, metadata.stderr);
  assert.deepEqual(gcp.state.readers, [key.client_email, 'user:dev@example.com', 'default@proj-1.iam.gserviceaccount.com']);
  // Nothing anywhere: the message names every place looked at.
  const none = await launch(['read', ref], { config: store(), env: { HOME: home(null), ...offMetadata } });
  assert.equal(none.code, 78);
  assert.match(none.stderr, /no GOOGLE_APPLICATION_CREDENTIALS and no gcloud application default credentials/);
  const broken = await launch(['read', ref], { config: store(), env: { HOME: home({ type: 'external_account' }), ...offMetadata } });
  assert.equal(broken.code, 78);
  assert.match(broken.stderr, /the gcloud ADC file .*: a credential of type 'external_account' is not supported/);
});

test('impersonation: the file gcloud writes with --impersonate-service-account, delegates honoured, and the store\'s own', async () => {
  const file = { delegates: [hop], service_account_impersonation_url:
      `${gcp.url}/v1/projects/-/serviceAccounts/${reader}:generateAccessToken`,
    source_credentials: userFile(), type: 'impersonated_service_account' };
  gcp.state.readers.length = 0;
  gcp.state.impersonations.length = 0;
  const r = await launch(['read', ref], { config: store(), env: { HOME: home(file), ...offMetadata } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'ghp_adcSecret0001\n');
  assert.deepEqual(gcp.state.impersonations, [{ target: reader, by: 'user:dev@example.com', delegates: [hop] }]);
  assert.deepEqual(gcp.state.readers, [reader]);

  // A delegate that may not impersonate the next: IAM refuses.
  const denied = { ...file, delegates: [reader], service_account_impersonation_url: file.service_account_impersonation_url.replace(reader, hop) };
  const d = await launch(['read', ref], { config: store(), env: { HOME: home(denied), ...offMetadata } });
  assert.equal(d.code, 77);
  assert.match(d.stderr, /generateAccessToken: HTTP 403: PERMISSION_DENIED/);

  // The store's impersonateServiceAccount, on top of the user's login.
  const own = await launch(['read', ref], { config: store({ impersonateServiceAccount: reader, iamCredentialsEndpoint: gcp.url }),
    env: { HOME: home(userFile()), ...offMetadata } });
  assert.equal(own.code, 0, own.stderr);
  assert.equal(gcp.state.impersonations.at(-1).by, 'user:dev@example.com');
  const check = await launch(['check', '--json', '--', 'true'], { config: store({ impersonateServiceAccount: reader, iamCredentialsEndpoint: gcp.url }),
    env: { HOME: home(userFile()), ...offMetadata, GH: ref } });
  assert.match(JSON.parse(check.stdout).credentials.gcp,
    new RegExp(`^the gcloud ADC file .*, then service account ${reader}:generateAccessToken \\(configuration.impersonateServiceAccount\\)$`));
});
