// The credential sources of a developer's laptop leak nothing either: with an IAM Identity
// Center login and a role assumed on top of it, gcloud's application default credentials
// with an impersonation, an Azure certificate (encrypted key) and an Azure CLI login, no
// token, key, refresh token, client secret, password or value appears in a trace-level log,
// text or JSON, nor in an error; and no file is opened for writing (strace) — the SSO cache
// and the ADC file are only read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCertificates } from './lib/tls.mjs';
import { startAws } from './lib/aws.mjs';
import { startGcp } from './lib/gcp.mjs';
import { startAzure } from './lib/azure.mjs';
import { launch, binary, tempDir } from './lib/launch.mjs';

let certs, aws, gcp, az, config, env, home, adc, login, keyLines;
const values = ['aws-laptop-Leak0001', 'gcp-laptop-Leak0002', 'azure-cert-Leak0003', 'azure-cli-Leak0004'];
const reader = 'reader@proj-1.iam.gserviceaccount.com';

before(async () => {
  certs = makeCertificates();
  aws = await startAws({ tls: certs.localhost, region: 'eu-west-1' });
  gcp = await startGcp({ tls: certs.localhost });
  az = await startAzure({ tls: certs.localhost });
  aws.put('mcp/a', { string: values[0] });
  gcp.put('g', values[1]);
  az.put('c', values[2]);
  az.put('l', values[3]);
  home = tempDir('mcpl-leaks-home-');
  // AWS: an SSO login cached as `aws sso login` caches it, then a role assumed with it.
  const role = `arn:aws:iam::${aws.account}:role/reader`;
  const ssoRole = `arn:aws:iam::${aws.account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Developer`;
  aws.state.roles.set(role, { trusts: new Set([ssoRole]) });
  const accessToken = 'aoaLeak' + 'A'.repeat(40);
  aws.state.sso.tokens.set(accessToken, { expires: Date.now() + 3_600_000, assignments: new Set([`${aws.account}/Developer`]) });
  login = { startUrl: 'https://corp.awsapps.com/start', region: 'us-east-2', accessToken,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    clientId: 'cid-Leak', clientSecret: 'client-secret-Leak' + 'B'.repeat(30), refreshToken: 'refresh-Leak' + 'C'.repeat(30) };
  mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true });
  writeFileSync(join(home, '.aws', 'config'), `[profile dev]\nsso_session = corp\nsso_account_id = ${aws.account}\n` +
    'sso_role_name = Developer\nregion = eu-west-1\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-2\n');
  writeFileSync(join(home, '.aws', 'sso', 'cache', createHash('sha1').update('corp').digest('hex') + '.json'), JSON.stringify(login));
  // GCP: gcloud's ADC file, impersonating a service account.
  gcp.impersonable(reader, { projects: ['proj-1'], tokenCreators: ['user:dev@example.com'] });
  adc = { ...gcp.authorizedUser(), token_uri: gcp.tokenUri };
  mkdirSync(join(home, '.config', 'gcloud'), { recursive: true });
  writeFileSync(join(home, '.config', 'gcloud', 'application_default_credentials.json'), JSON.stringify(adc));
  // Azure: a certificate with an encrypted key, and a CLI login.
  const dir = tempDir('mcpl-leaks-cert-');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k', '-out', 'c', '-days', '2', '-subj', '/CN=leak'], { cwd: dir, stdio: 'ignore' });
  execFileSync('openssl', ['pkey', '-in', 'k', '-aes256', '-passout', 'pass:cert-pass-Leak0005', '-out', 'ek'], { cwd: dir, stdio: 'ignore' });
  writeFileSync(join(dir, 'app.pem'), readFileSync(join(dir, 'c'), 'utf8') + readFileSync(join(dir, 'ek'), 'utf8'));
  keyLines = readFileSync(join(dir, 'k'), 'utf8').split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
  az.registerCertificate('cert-client-id', readFileSync(join(dir, 'c'), 'utf8'));
  mkdirSync(join(home, '.azure'));
  writeFileSync(join(home, '.azure', 'fake-login.json'), JSON.stringify({ accessToken: az.issueToken('https://vault.azure.net'), tenant: az.state.tenant }));
  const azure = (name, configuration) => ({ name, type: 'azure_key_vault', configuration: { vaultUrl: az.url,
    authorityHost: az.authorityHost, caFile: certs.caFile, ...configuration } });
  config = { secretStores: [
    { name: 'aws', type: 'aws_secrets_manager', configuration: { profile: 'dev', roleArn: role,
      stsEndpoint: aws.stsUrl, ssoEndpoint: aws.ssoUrl } },
    { name: 'gcp', type: 'gcp_secret_manager', configuration: { endpoint: gcp.url, caFile: certs.caFile, projectId: 'proj-1',
      impersonateServiceAccount: reader, iamCredentialsEndpoint: gcp.url } },
    azure('cert', { tenantId: az.state.tenant, clientId: 'cert-client-id', clientCertificate: '{{ env.CERT_PEM }}',
      clientCertificatePassword: '{{ env.CERT_PASS }}' }),
    azure('cli', {}),
  ] };
  env = { HOME: home, PATH: `${fileURLToPath(new URL('./bin', import.meta.url))}:${process.env.PATH}`,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
    AWS_CA_BUNDLE: certs.caFile, AWS_EC2_METADATA_DISABLED: 'true', GCE_METADATA_HOST: '127.0.0.1:9',
    AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:9',
    CERT_PEM: readFileSync(join(dir, 'app.pem'), 'utf8'), CERT_PASS: 'cert-pass-Leak0005',
    A: '{{ secrets.aws.[mcp/a] }}', G: '{{ secrets.gcp.[g] }}', C: '{{ secrets.cert.[c] }}', L: '{{ secrets.cli.[l] }}' };
});
after(async () => { await Promise.all([aws, gcp, az].map((d) => d.close())); certs.remove(); });

function secrets() {
  const awsKeys = [...aws.state.keys.values()].flatMap((k) => [k.secret, k.sessionToken].filter(Boolean));
  return [...values, login.accessToken, login.clientSecret, login.refreshToken, ...awsKeys, adc.refresh_token,
    adc.client_secret, ...gcp.state.tokens.keys(), ...keyLines, 'cert-pass-Leak0005', ...az.state.tokens.keys()];
}

for (const format of ['text', 'json']) {
  test(`trace-level ${format} logs hold no secret of the laptop's sources`, async () => {
    const r = await launch(['--log-level', 'trace', '--log-format', format, '--', 'true'], { env: { ...env, MCP_LAUNCH_CONFIG_JSON: JSON.stringify(config) } });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stderr.split('\n').length > 3, 'trace logging is on');
    assert.doesNotMatch(r.stderr, /unknown field/, 'every new configuration field is known');
    const all = secrets();
    assert.ok(all.length > 15, 'the doubles issued tokens and keys');
    for (const s of all) assert.ok(!r.stderr.includes(s), `${s.slice(0, 12)}… leaked into the log`);
  });
}

test('failures of the laptop\'s sources name what failed, never a secret', async () => {
  const r = await launch(['--log-level', 'trace', 'read', '{{ secrets.aws.[mcp/nope] }}', '{{ secrets.gcp.[nope] }}',
    '{{ secrets.cert.[nope] }}', '{{ secrets.cli.[nope] }}'], { env: { ...env, MCP_LAUNCH_CONFIG_JSON: JSON.stringify(config) } });
  assert.equal(r.code, 78, r.stderr);
  assert.match(r.stderr, /mcp\/nope.*ResourceNotFoundException/);
  for (const s of secrets()) assert.ok(!r.stderr.includes(s), `${s.slice(0, 12)}… leaked into an error`);
});

test('no file is opened for writing: the SSO cache and the ADC file are only read (strace)', async (t) => {
  try { execFileSync('strace', ['-V'], { stdio: 'ignore' }); } catch { t.skip('strace is not installed'); return; }
  const trace = join(tempDir('mcpl-strace-laptop-'), 'trace');
  const r = await launch(['-f', '-qq', '-e', 'trace=open,openat,openat2,creat,rename,renameat,renameat2,link,linkat',
    '-o', trace, binary, '--', 'true'], { env: { ...env, MCP_LAUNCH_CONFIG_JSON: JSON.stringify(config) }, command: 'strace' });
  assert.equal(r.code, 0, r.stderr);
  const lines = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
  assert.ok(lines.some((l) => l.includes('sso/cache')), 'strace saw the SSO cache read');
  // The stand-in az (node) writes nothing either; anything the launcher's own process opened
  // for writing would show here.
  const writes = lines.filter((l) => /O_WRONLY|O_RDWR|O_CREAT|creat\(|rename|link/.test(l) && !/\/dev\/(null|tty|pts)/.test(l));
  assert.deepEqual(writes, []);
});
