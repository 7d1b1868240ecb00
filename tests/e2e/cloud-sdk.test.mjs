// The GCP and Azure doubles of tests/stores, spoken to by Google's and Microsoft's own
// JavaScript libraries: the doubles accept what the official clients send and answer what
// they understand, as aws-sdk.test.mjs shows for the AWS doubles.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../stores/lib/temp.mjs';
import { makeCertificates } from '../stores/lib/tls.mjs';
import { startGcp } from '../stores/lib/gcp.mjs';
import { startAzure } from '../stores/lib/azure.mjs';

let certs, gcp, az;
before(async () => {
  certs = makeCertificates();
  gcp = await startGcp({ tls: certs.localhost, audience: 'https://oauth2.googleapis.com/token' });
  gcp.put('github-token', 'ghp_sdkGcp0001');
  az = await startAzure({ tls: certs.localhost });
  az.put('github-token', 'ghp_sdkAzure0002');
});
after(async () => { await gcp.close(); await az.close(); certs.remove(); });

test('google-auth-library, @azure/identity (client secret, certificate, Azure CLI, managed identity) and @azure/keyvault-secrets against the doubles', async () => {
  const dir = tempDir('mcpl-sdk-azure-');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'app.key', '-out', 'app.crt',
    '-days', '2', '-subj', '/CN=sdk-app'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const crt = readFileSync(join(dir, 'app.crt'), 'utf8');
  writeFileSync(join(dir, 'app.pem'), crt + readFileSync(join(dir, 'app.key'), 'utf8'));
  az.registerCertificate('cert-client-id', crt);
  mkdirSync(join(dir, '.azure'));
  writeFileSync(join(dir, '.azure', 'fake-login.json'), JSON.stringify({ accessToken: az.issueToken('https://vault.azure.net'),
    expiresInSeconds: 3600, tenant: az.state.tenant }));
  const key = gcp.serviceAccount();
  const other = gcp.serviceAccount({ name: 'other' });
  // The client runs while this process serves the doubles: it must not block the event loop.
  const { execFile } = await import('node:child_process');
  const stdout = await new Promise((resolve, reject) => execFile(process.execPath,
    [fileURLToPath(new URL('./cloud-sdk-client.mjs', import.meta.url))],
    { env: { ...process.env, NODE_EXTRA_CA_CERTS: certs.caFile, GCP_KEY: JSON.stringify(key),
      GCP_OTHER_KEY: JSON.stringify(other), GCP_GOOGLE_URL: gcp.url, AZ_URL: az.url.replace('127.0.0.1', 'localhost'),
      AZ_TENANT: az.state.tenant, AZ_IDENTITY_ENDPOINT: az.identityEndpoint,
      AZ_IDENTITY_HEADER: az.state.identityHeader, AZ_IMDS: az.imdsUrl, AZ_CERT_PEM: join(dir, 'app.pem'),
      HOME: dir, PATH: `${fileURLToPath(new URL('../stores/bin', import.meta.url))}:${process.env.PATH}` }, timeout: 60_000 },
    (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out))));
  const got = JSON.parse(stdout);
  assert.deepEqual(got.gcpToken, { status: 200, value: 'ghp_sdkGcp0001' });
  assert.match(JSON.stringify(got.gcpBadKey), /invalid_grant|Invalid JWT Signature/);
  assert.equal(got.azureSecret, 'ghp_sdkAzure0002');
  assert.equal(got.azureMissing.code, 'SecretNotFound');
  assert.match(got.azureBadSecret.message, /AADSTS7000215/);
  assert.equal(got.azureAppService, 'string', JSON.stringify(got.azureAppService));
  assert.equal(got.azureImds, 'string', JSON.stringify(got.azureImds));
  assert.equal(got.azureCertificate, 'ghp_sdkAzure0002', JSON.stringify(got.azureCertificate));
  assert.deepEqual(az.state.assertions.map((h) => h.alg), ['PS256'], 'MSAL signs PS256 with x5t#S256, as the launcher does');
  assert.deepEqual(got.azureCli, { type: 'string', expiresInMinutes: 60 }, JSON.stringify(got.azureCli));
});
