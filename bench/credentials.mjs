// Prints figures, asserts nothing: what each credential source of a developer's laptop costs a
// launch. One reference, every answer 20 ms late, over HTTPS on loopback: the baseline source
// of each cloud (keys, a service account key, a client secret) beside an IAM Identity Center
// login, roles assumed on top (source_profile, roleArn), gcloud's ADC file (authorized_user,
// impersonated), an Azure certificate, and the Azure CLI's login (the stand-in `az` of
// tests/stores/bin, a Node program: the real CLI, in Python, takes longer to start).
// Usage: MCP_LAUNCH_BINARY=build/launcher/mcp-launch node bench/credentials.mjs [runs]
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCertificates } from '../tests/stores/lib/tls.mjs';
import { startAws } from '../tests/stores/lib/aws.mjs';
import { startGcp } from '../tests/stores/lib/gcp.mjs';
import { startAzure } from '../tests/stores/lib/azure.mjs';
import { launch, tempDir } from '../tests/stores/lib/launch.mjs';

const runs = Number(process.argv[2] ?? 9);
const latencyMs = 20;
const certs = makeCertificates();
const aws = await startAws({ tls: certs.localhost, region: 'eu-west-1', latencyMs });
const gcp = await startGcp({ tls: certs.localhost, latencyMs });
const az = await startAzure({ tls: certs.localhost, latencyMs });
const home = tempDir('mcpl-bench-home-');
const requests = () => aws.stats.requests + aws.state.calls.sts + aws.state.calls.assumeRole +
  aws.state.calls.sso + gcp.stats.requests + az.stats.requests;

async function measure(name, store, env) {
  const walls = [];
  let count = 0;
  for (let i = 0; i < runs; i++) {
    const before = requests();
    const r = await launch(['read', '{{ secrets.s.[x] }}'], { config: { secretStores: [{ name: 's', ...store }] }, env: { HOME: home, ...env } });
    if (r.code !== 0) throw new Error(`${name}: exit ${r.code}: ${r.stderr}`);
    walls.push(r.ms);
    count = requests() - before;
  }
  walls.sort((a, b) => a - b);
  console.log(`${name.padEnd(44)} ${String(count).padStart(2)} requests  ` +
    `${walls[Math.floor(walls.length / 2)].toFixed(0).padStart(4)} ms median (min ${walls[0].toFixed(0)}, max ${walls.at(-1).toFixed(0)})`);
}

try {
  aws.put('x', { string: 'aws-value' });
  gcp.put('x', 'gcp-value');
  az.put('x', 'azure-value');
  // AWS: keys; an SSO login as `aws sso login` caches it; roles assumed with them.
  const keys = aws.issueKeys();
  const ssoRole = `arn:aws:iam::${aws.account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Developer`;
  const role = (n) => `arn:aws:iam::${aws.account}:role/${n}`;
  aws.state.roles.set(role('mid'), { trusts: new Set([aws.state.user]) });
  aws.state.roles.set(role('app'), { trusts: new Set([role('mid')]) });
  aws.state.roles.set(role('reader'), { trusts: new Set([ssoRole]) });
  const accessToken = 'aoaBench';
  aws.state.sso.tokens.set(accessToken, { expires: Date.now() + 3_600_000, assignments: new Set([`${aws.account}/Developer`]) });
  mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true });
  writeFileSync(join(home, '.aws', 'sso', 'cache', createHash('sha1').update('corp').digest('hex') + '.json'),
    JSON.stringify({ accessToken, expiresAt: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z') }));
  writeFileSync(join(home, '.aws', 'config'), `[profile sso]\nsso_session = corp\nsso_account_id = ${aws.account}\n` +
    'sso_role_name = Developer\n[sso-session corp]\nsso_start_url = u\nsso_region = us-east-2\n' +
    `[profile chain]\nrole_arn = ${role('app')}\nsource_profile = mid\n[profile mid]\nrole_arn = ${role('mid')}\nsource_profile = base\n`);
  writeFileSync(join(home, '.aws', 'credentials'), `[base]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`);
  const awsEnv = { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url, AWS_ENDPOINT_URL_STS: aws.stsUrl,
    AWS_ENDPOINT_URL_SSO: aws.ssoUrl, AWS_CA_BUNDLE: certs.caFile, AWS_EC2_METADATA_DISABLED: 'true' };
  const sm = { type: 'aws_secrets_manager' };
  await measure('aws: keys in the configuration', { ...sm, configuration: { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey } }, awsEnv);
  await measure('aws: IAM Identity Center login', { ...sm, configuration: { profile: 'sso' } }, awsEnv);
  await measure('aws: IAM Identity Center, then roleArn', { ...sm, configuration: { profile: 'sso', roleArn: role('reader') } }, awsEnv);
  await measure('aws: keys, then two source_profile roles', { ...sm, configuration: { profile: 'chain' } }, awsEnv);

  // GCP: a service account key; gcloud's ADC file, plain and impersonating.
  const gsm = { type: 'gcp_secret_manager' };
  const gconf = { endpoint: gcp.url, caFile: certs.caFile, projectId: 'proj-1' };
  const genv = { GCE_METADATA_HOST: '127.0.0.1:9' };
  await measure('gcp: service account key', { ...gsm, configuration: { ...gconf, serviceAccountKey: gcp.serviceAccount() } }, genv);
  const user = { ...gcp.authorizedUser(), token_uri: gcp.tokenUri };
  const adc = (name, file) => {
    const dir = join(tempDir('mcpl-bench-gcloud-'), name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'application_default_credentials.json'), JSON.stringify(file));
    return { ...genv, CLOUDSDK_CONFIG: dir };
  };
  await measure('gcp: gcloud ADC (authorized_user)', { ...gsm, configuration: gconf }, adc('user', user));
  gcp.impersonable('reader@proj-1.iam.gserviceaccount.com', { tokenCreators: ['user:dev@example.com'] });
  await measure('gcp: gcloud ADC, impersonating', { ...gsm, configuration: gconf }, adc('imp', { type: 'impersonated_service_account',
    service_account_impersonation_url: `${gcp.url}/v1/projects/-/serviceAccounts/reader@proj-1.iam.gserviceaccount.com:generateAccessToken`,
    source_credentials: user }));

  // Azure: a client secret; a certificate; the CLI's login.
  const kv = { type: 'azure_key_vault' };
  const zconf = { vaultUrl: az.url, authorityHost: az.authorityHost, caFile: certs.caFile, tenantId: az.state.tenant };
  await measure('azure: client secret', { ...kv, configuration: { ...zconf, clientId: 'app-client-id', clientSecret: 'app-client-secret~0001' } }, {});
  const dir = tempDir('mcpl-bench-cert-');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k', '-out', 'c', '-days', '2', '-subj', '/CN=bench'], { cwd: dir, stdio: 'ignore' });
  az.registerCertificate('cert-client-id', readFileSync(join(dir, 'c'), 'utf8'));
  writeFileSync(join(dir, 'app.pem'), readFileSync(join(dir, 'c'), 'utf8') + readFileSync(join(dir, 'k'), 'utf8'));
  await measure('azure: client certificate', { ...kv, configuration: { ...zconf, clientId: 'cert-client-id' } }, { AZURE_CLIENT_CERTIFICATE_PATH: join(dir, 'app.pem') });
  mkdirSync(join(home, '.azure'), { recursive: true });
  writeFileSync(join(home, '.azure', 'fake-login.json'), JSON.stringify({ accessToken: az.issueToken('https://vault.azure.net'), tenant: az.state.tenant }));
  await measure('azure: Azure CLI login (stand-in az)', { ...kv, configuration: zconf }, {
    PATH: `${fileURLToPath(new URL('../tests/stores/bin', import.meta.url))}:${process.env.PATH}`,
    AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:9' });
  console.log(`(${runs} runs each, ${latencyMs} ms per answer; requests counted at the doubles)`);
} finally {
  await Promise.all([aws.close(), gcp.close(), az.close()]);
  certs.remove();
}
