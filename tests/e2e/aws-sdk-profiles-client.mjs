// Run by aws-sdk-profiles.test.mjs in a process of its own (NODE_EXTRA_CA_CERTS and HOME must
// be set before Node starts): AWS's own credential providers read the shared files and the
// SSO token cache the test wrote, ask the doubles (AWS_ENDPOINT_URL_SSO, _STS), and read a
// secret with what they got. Prints what each got as JSON; a failure prints its name and message.
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { fromSSO } from '@aws-sdk/credential-provider-sso';
import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';

const out = {};
const attempt = async (name, fn) => {
  try { out[name] = await fn(); } catch (e) { out[name] = { error: e.name, message: String(e.message).slice(0, 300) }; }
};
const read = async (credentials) => {
  const sm = new SecretsManagerClient({ region: 'eu-west-1', credentials, maxAttempts: 1 });
  return (await sm.send(new GetSecretValueCommand({ SecretId: 'mcp/github' }))).SecretString;
};

await attempt('ssoSession', () => read(fromSSO({ profile: 'dev' })));
await attempt('iniSso', () => read(fromIni({ profile: 'dev' })));
await attempt('iniLegacySso', () => read(fromIni({ profile: 'old' })));
await attempt('iniChain', () => read(fromIni({ profile: 'app' })));
await attempt('iniExpired', () => read(fromIni({ profile: 'expired' })));
console.log(JSON.stringify(out));
