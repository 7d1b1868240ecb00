// The Application Default Credentials files of tests/stores/gcp-adc.test.mjs read by
// google-auth-library itself (gcp-adc-client.mjs, in a process of its own): the library
// finds them where the launcher does (~/.config/gcloud, $CLOUDSDK_CONFIG), and the doubles
// answer its refresh-token grant and generateAccessToken as they answer the launcher's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCertificates } from '../stores/lib/tls.mjs';
import { startGcp } from '../stores/lib/gcp.mjs';
import { tempDir } from '../stores/lib/temp.mjs';

let certs, gcp;
const reader = 'reader@proj-1.iam.gserviceaccount.com';
const hop = 'hop@proj-1.iam.gserviceaccount.com';
before(async () => {
  certs = makeCertificates();
  gcp = await startGcp({ tls: certs.localhost });
  gcp.put('github-token', 'ghp_adcSdk0001');
  gcp.impersonable(hop, { projects: [], tokenCreators: ['user:dev@example.com'] });
  gcp.impersonable(reader, { projects: ['proj-1'], tokenCreators: [hop] });
});
after(async () => { await gcp.close(); certs.remove(); });

function home(adc, under = '.config/gcloud') {
  const h = tempDir('mcpl-gcp-sdk-home-');
  mkdirSync(join(h, under), { recursive: true });
  if (adc) writeFileSync(join(h, under, 'application_default_credentials.json'), JSON.stringify(adc));
  return h;
}

const run = (env) => new Promise((resolve, reject) => execFile(process.execPath,
  [fileURLToPath(new URL('./gcp-adc-client.mjs', import.meta.url))],
  { timeout: 60_000, env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: certs.caFile, GCP_URL: gcp.url, ...env } },
  (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(JSON.parse(out).adc))));

test('google-auth-library: authorized_user (quota project), CLOUDSDK_CONFIG, impersonated_service_account with a delegate', async () => {
  // As gcloud writes it: no token_uri (the library's transporter sends Google's to the double).
  const user = await run({ HOME: home(gcp.authorizedUser({ quota: 'billing-2' })) });
  assert.deepEqual(user, { type: 'UserRefreshClient', status: 200, value: 'ghp_adcSdk0001' });
  assert.deepEqual(gcp.state.quotaProjects, ['billing-2']);
  const moved = home(gcp.authorizedUser(), 'cfg');
  assert.equal((await run({ HOME: home(null), CLOUDSDK_CONFIG: join(moved, 'cfg') })).value, 'ghp_adcSdk0001');
  const impersonated = await run({ HOME: home({ delegates: [hop], service_account_impersonation_url:
      `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${reader}:generateAccessToken`,
    source_credentials: gcp.authorizedUser(), type: 'impersonated_service_account' }) });
  assert.deepEqual(impersonated, { type: 'Impersonated', status: 200, value: 'ghp_adcSdk0001' });
  assert.deepEqual(gcp.state.impersonations, [{ target: reader, by: 'user:dev@example.com', delegates: [hop] }]);
  assert.deepEqual(gcp.state.readers, ['user:dev@example.com', 'user:dev@example.com', reader]);
});
