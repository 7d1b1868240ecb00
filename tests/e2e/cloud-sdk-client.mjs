// Run by cloud-sdk.test.mjs in a process of its own (NODE_EXTRA_CA_CERTS must be set before
// Node starts for the SDKs to trust the test CA): the vendors' own clients against the GCP
// and Azure doubles. Prints what they got as JSON; a failure prints its name and message.
import { JWT } from 'google-auth-library';
import { AzureCliCredential, ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';

const out = {};
const attempt = async (name, fn) => {
  try { out[name] = await fn(); } catch (e) { out[name] = { error: e.name, code: e.code, message: String(e.message).slice(0, 300) }; }
};

const key = JSON.parse(process.env.GCP_KEY);
// Google's library signs the JWT bearer assertion (aud: https://oauth2.googleapis.com/token,
// which it names itself) and posts it; its transporter delivers the post to the double that
// plays that endpoint.
const transporter = {
  interceptors: { request: new Set(), response: new Set() },
  async request(opts) {
    const url = opts.url.replace('https://oauth2.googleapis.com', process.env.GCP_GOOGLE_URL);
    const res = await fetch(url, { method: opts.method, body: opts.data,
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const data = await res.json();
    if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { response: { status: res.status, data } });
    return { status: res.status, data };
  },
};
const googleJwt = (privateKey) => new JWT({ email: key.client_email, key: privateKey, keyId: key.private_key_id,
  scopes: ['https://www.googleapis.com/auth/cloud-platform'], transporter });
await attempt('gcpToken', async () => {
  const { token } = await googleJwt(key.private_key).getAccessToken();
  const res = await fetch(`${process.env.GCP_GOOGLE_URL}/v1/projects/proj-1/secrets/github-token/versions/latest:access`,
    { headers: { authorization: `Bearer ${token}` } });
  const body = await res.json();
  return { status: res.status, value: Buffer.from(body.payload.data, 'base64').toString() };
});
await attempt('gcpBadKey', async () => googleJwt(JSON.parse(process.env.GCP_OTHER_KEY).private_key).getAccessToken());

const azureOptions = { authorityHost: process.env.AZ_URL, disableInstanceDiscovery: true };
const credential = new ClientSecretCredential(process.env.AZ_TENANT, 'app-client-id', 'app-client-secret~0001', azureOptions);
const vault = new SecretClient(process.env.AZ_URL, credential, { disableChallengeResourceVerification: true });
await attempt('azureSecret', async () => (await vault.getSecret('github-token')).value);
await attempt('azureMissing', async () => (await vault.getSecret('nope')).value);
await attempt('azureBadSecret', async () => {
  const wrong = new ClientSecretCredential(process.env.AZ_TENANT, 'app-client-id', 'wrong', azureOptions);
  return (await new SecretClient(process.env.AZ_URL, wrong, { disableChallengeResourceVerification: true }).getSecret('github-token')).value;
});

// A service principal's certificate (PEM with the key), as the launcher reads
// AZURE_CLIENT_CERTIFICATE_PATH; the double checks the assertion MSAL signs.
await attempt('azureCertificate', async () => {
  const cert = new ClientCertificateCredential(process.env.AZ_TENANT, 'cert-client-id',
    { certificatePath: process.env.AZ_CERT_PEM }, azureOptions);
  return (await new SecretClient(process.env.AZ_URL, cert, { disableChallengeResourceVerification: true }).getSecret('github-token')).value;
});
// The stand-in `az` of tests/stores/bin, on PATH, run by the SDK's own AzureCliCredential.
await attempt('azureCli', async () => {
  const t = await new AzureCliCredential({ tenantId: process.env.AZ_TENANT }).getToken('https://vault.azure.net/.default');
  return { type: typeof t.token, expiresInMinutes: Math.round((t.expiresOnTimestamp - Date.now()) / 60_000) };
});

// Managed identity: App Service's endpoint, then the VM's IMDS (at the address the SDKs'
// AZURE_POD_IDENTITY_AUTHORITY_HOST names), through the SDK's own ManagedIdentityCredential.
const vaultScope = 'https://vault.azure.net/.default';
await attempt('azureAppService', async () => {
  process.env.IDENTITY_ENDPOINT = process.env.AZ_IDENTITY_ENDPOINT;
  process.env.IDENTITY_HEADER = process.env.AZ_IDENTITY_HEADER;
  const t = await new ManagedIdentityCredential().getToken(vaultScope);
  delete process.env.IDENTITY_ENDPOINT;
  delete process.env.IDENTITY_HEADER;
  return typeof t.token;
});
await attempt('azureImds', async () => {
  process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = process.env.AZ_IMDS;
  const t = await new ManagedIdentityCredential().getToken(vaultScope);
  return typeof t.token;
});

console.log(JSON.stringify(out));
