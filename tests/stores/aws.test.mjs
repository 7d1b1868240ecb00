// The built launcher against AWS doubles over HTTPS on loopback (Secrets Manager and STS,
// with a CA made at test time; the container and instance metadata endpoints over plain
// HTTP, as on AWS): every credential source, identifier form, version qualifier, batching,
// and error of the `aws_secrets_manager` store.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';
import { makeCertificates } from './lib/tls.mjs';
import { startAws } from './lib/aws.mjs';
import { launch, childEnv, values, tempDir } from './lib/launch.mjs';

let certs, aws, keys, ids;
const dir = tempDir('mcpl-aws-');

before(async () => {
  certs = makeCertificates();
  aws = await startAws({ tls: certs.localhost, region: 'eu-west-1' });
  keys = aws.issueKeys();
  ids = {};
  aws.put('mcp/github', { string: 'ghp_awsSecret0001' });
  aws.put('mcp/db', { string: JSON.stringify({ username: 'app', password: 'pw-aws-0002', port: 5432 }) });
  aws.put('mcp/binary', { binary: Buffer.from([0, 1, 2, 0xff, 0x41]) });
  ids.old = aws.put('mcp/rotated', { string: 'old-value-0003' });
  ids.current = aws.put('mcp/rotated', { string: 'new-value-0004' });
  aws.put('mcp/rotated', { string: 'pending-0005' }, { stage: 'AWSPENDING' });
});
after(async () => { await aws.close(); certs.remove(); });

const store = (configuration = {}, mappings = []) => ({
  secretStores: [{ name: 'aws', type: 'aws_secrets_manager', configuration, mappings }],
});
const endpoint = () => ({ region: 'eu-west-1', endpoint: aws.url, caFile: certs.caFile });
const withKeys = (extra = {}) => ({ ...endpoint(), accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey, ...extra });
const ref = (id) => `{{ secrets.aws.[${id}] }}`;
const calls = () => ({ ...aws.state.calls });
const delta = (before) => Object.fromEntries(Object.entries(aws.state.calls).map(([k, v]) => [k, v - before[k]]));
// The environment of a launch that finds its endpoints in AWS's variables.
const envEndpoints = () => ({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
  AWS_ENDPOINT_URL_STS: aws.stsUrl, AWS_CA_BUNDLE: certs.caFile, AWS_EC2_METADATA_DISABLED: 'true' });

test('keys in the configuration: names, ARNs, partial ARNs, versions, binary, selectors, mappings', async () => {
  const arn = aws.state.secrets.get('mcp/db').arn;
  const partial = aws.state.secrets.get('mcp/github').arn.slice(0, -7);
  const before = calls();
  const refs = [ref('mcp/github'), ref(arn + '#password'), ref(partial), ref('mcp/db#port'),
    ref('mcp/rotated?versionStage=AWSPREVIOUS'), ref(`mcp/rotated?versionId=${ids.current}`),
    ref('mcp/rotated?versionStage=AWSPENDING'), '{{ secrets.aws.user }}'];
  const r = await launch(['read', '--json', ...refs],
    { config: store(withKeys(), [{ name: 'user', secretIdentifier: 'mcp/db#username' }]) });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(values(r, refs), ['ghp_awsSecret0001', 'pw-aws-0002',
    'ghp_awsSecret0001', '5432', 'old-value-0003', 'new-value-0004', 'pending-0005', 'app']);
  assert.deepEqual(delta(before), { GetSecretValue: 3, BatchGetSecretValue: 1, sts: 0, container: 0, imds: 0, assumeRole: 0, sso: 0 },
    'the unqualified secrets come in one batch, each qualified one alone');
});

test('SecretBinary is delivered as its exact bytes', async () => {
  const r = await launch(['--', 'sh', '-c', 'printf %s "$B" | od -An -tx1'],
    { config: store(withKeys()), env: { B: ref('mcp/binary') } });
  // A NUL cannot travel in an environment variable: the launcher says so rather than cutting it.
  assert.equal(r.code, 65);
  assert.match(r.stderr, /the value holds a NUL byte, .* deliver it as a file with `\| file`/);
  assert.equal(r.stdout, '', 'nothing started');
  const f = await launch(['--', 'sh', '-c', 'od -An -tx1 "$B"'],
    { config: store(withKeys()), env: { B: '{{ secrets.aws.[mcp/binary] | file }}' } });
  assert.equal(f.code, 0, f.stderr);
  assert.equal(f.stdout.trim(), '00 01 02 ff 41');
});

test('temporary keys from the environment, which the child does not get', async () => {
  const temp = aws.issueKeys({ temporary: true });
  const r = await launch(['--', 'env', '-0'], { config: store({ caFile: certs.caFile }), env: {
    ...envEndpoints(), AWS_ACCESS_KEY_ID: temp.accessKeyId, AWS_SECRET_ACCESS_KEY: temp.secretAccessKey,
    AWS_SESSION_TOKEN: temp.sessionToken, GITHUB_TOKEN: ref('mcp/github') } });
  assert.equal(r.code, 0, r.stderr);
  const env = childEnv(r.stdout);
  assert.equal(env.GITHUB_TOKEN, 'ghp_awsSecret0001');
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'])
    assert.equal(env[name], undefined, `${name} reached the child`);
  assert.equal(env.AWS_REGION, 'eu-west-1', 'what is not a credential stays');
});

function home(files) {
  const h = mkdtempSync(join(dir, 'home-'));
  mkdirSync(join(h, '.aws'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(h, '.aws', name), text);
  return h;
}

test('AWS_PROFILE picks a profile of the shared files, before keys in the environment', async () => {
  const dev = aws.issueKeys();
  const HOME = home({
    credentials: `[default]\naws_access_key_id = AKIAWRONGWRONGWRONG\naws_secret_access_key = wrong\n\n[dev]\naws_access_key_id = ${dev.accessKeyId}\naws_secret_access_key = ${dev.secretAccessKey} ; comment\n`,
    config: '[default]\nregion = us-west-2\n\n[profile dev]\nregion = eu-west-1\ns3 =\n  max_concurrent_requests = 4\n',
  });
  const env = { HOME, AWS_PROFILE: 'dev', AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url, AWS_CA_BUNDLE: certs.caFile,
    AWS_ACCESS_KEY_ID: 'AKIASTALESTALESTALE', AWS_SECRET_ACCESS_KEY: 'stale' };
  const r = await launch(['read', ref('mcp/github')], { config: store(), env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'ghp_awsSecret0001\n');
  const missing = await launch(['read', ref('mcp/github')], { config: store(), env: { ...env, AWS_PROFILE: 'nope' } });
  assert.equal(missing.code, 78);
  assert.match(missing.stderr, /profile 'nope' is in neither .*config nor .*credentials/);
  const wrongKeys = home({ credentials: '[dev]\naws_access_key_id = AKIANOBODY\naws_secret_access_key = x\n' });
  const refused = await launch(['read', ref('mcp/github')], { config: store({ region: 'eu-west-1' }), env: { ...env, HOME: wrongKeys } });
  assert.equal(refused.code, 77);
  assert.match(refused.stderr, /UnrecognizedClientException.*\(credentials from profile 'dev' of .*\.aws\/credentials or .*\.aws\/config\)/);
  const sso = home({ config: '[profile corp]\nsso_session = corp\nregion = eu-west-1\n' });
  const unsupported = await launch(['read', ref('mcp/github')], { config: store(), env: { ...env, HOME: sso, AWS_PROFILE: 'corp' } });
  assert.equal(unsupported.code, 78);
  assert.match(unsupported.stderr, /profile 'corp' names sso_session 'corp', which has no \[sso-session corp\]/);
});

test('web identity (EKS IRSA): the token file goes to STS AssumeRoleWithWebIdentity', async () => {
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, aws.state.webIdentity.token + '\n');
  const env = { ...envEndpoints(), AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
    AWS_ROLE_ARN: aws.state.webIdentity.roleArn, AWS_ROLE_SESSION_NAME: 'mcp-pod-1' };
  const before = calls();
  const three = [ref('mcp/github'), ref('mcp/db#password'), ref('mcp/rotated')];
  const r = await launch(['read', '--json', ...three], { config: store(), env });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(values(r, three), ['ghp_awsSecret0001', 'pw-aws-0002', 'new-value-0004']);
  assert.equal(delta(before).sts, 1, 'credentials are obtained once per launch');
  assert.equal(aws.state.lastSessionName, 'mcp-pod-1');

  writeFileSync(tokenFile, 'eyJ.not-the-token.sig');
  const bad = await launch(['read', ref('mcp/github')], { config: store(), env });
  assert.equal(bad.code, 77);
  assert.match(bad.stderr, /InvalidIdentityToken: Couldn't retrieve verification key/);

  const viaProfile = home({ config: `[profile irsa]\nrole_arn = ${aws.state.webIdentity.roleArn}\nweb_identity_token_file = ${join(dir, 'token2')}\n` });
  writeFileSync(join(dir, 'token2'), aws.state.webIdentity.token);
  const p = await launch(['read', ref('mcp/github')], { config: store(), env: { ...envEndpoints(), HOME: viaProfile, AWS_PROFILE: 'irsa' } });
  assert.equal(p.code, 0, p.stderr);
  assert.match(aws.state.lastSessionName, /^mcp-launch-\d+$/, 'a default session name');
});

test('container credentials (ECS, EKS Pod Identity): token or token file, never passed on', async () => {
  const env = { ...envEndpoints(), AWS_CONTAINER_CREDENTIALS_FULL_URI: aws.containerUrl,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: aws.state.container.token, X: ref('mcp/github') };
  const r = await launch(['--', 'env', '-0'], { config: store(), env });
  assert.equal(r.code, 0, r.stderr);
  const child = childEnv(r.stdout);
  assert.equal(child.X, 'ghp_awsSecret0001');
  assert.equal(child.AWS_CONTAINER_AUTHORIZATION_TOKEN, undefined);

  const tokenFile = join(dir, 'pod-identity-token');
  writeFileSync(tokenFile, aws.state.container.token);
  const { AWS_CONTAINER_AUTHORIZATION_TOKEN, ...rest } = env;
  const f = await launch(['read', ref('mcp/github')], { config: store(), env: { ...rest, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile } });
  assert.equal(f.code, 0, f.stderr);

  const wrong = await launch(['read', ref('mcp/github')], { config: store(), env: { ...env, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'wrong' } });
  assert.equal(wrong.code, 77);
  assert.match(wrong.stderr, /container credentials: HTTP 401: unauthorized/);

  const offLink = await launch(['read', ref('mcp/github')], { config: store(), env: { ...env, AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://10.0.0.1/creds' } });
  assert.equal(offLink.code, 78);
  assert.match(offLink.stderr, /AWS_CONTAINER_CREDENTIALS_FULL_URI: plain http:\/\/ only to loopback/);
});

test('EC2 instance metadata (IMDSv2): session token, role, credentials', async () => {
  const { AWS_EC2_METADATA_DISABLED, ...env } = { ...envEndpoints(), AWS_EC2_METADATA_SERVICE_ENDPOINT: aws.imdsUrl };
  const before = calls();
  const r = await launch(['read', ref('mcp/github')], { config: store(), env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'ghp_awsSecret0001\n');
  assert.equal(delta(before).imds, 3, 'token, role name, credentials');

  aws.state.imds.role = '';
  const noRole = await launch(['read', ref('mcp/github')], { config: store(), env });
  aws.state.imds.role = 'mcp-instance-role';
  assert.equal(noRole.code, 78);
  assert.match(noRole.stderr, /the instance has no IAM role attached/);

  // Off EC2: nothing answers. The launch says so at once instead of waiting its deadline.
  const off = await launch(['read', ref('mcp/github')], { config: store(), env: { ...env, AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:9' } });
  assert.equal(off.code, 78);
  assert.match(off.stderr, /no AWS credentials: .*, and the EC2 instance metadata service at http:\/\/127.0.0.1:9 did not answer/);

  // IMDS turned off on the instance: the token request is refused with 403.
  aws.state.imds.disabled = true;
  const turnedOff = await launch(['read', ref('mcp/github')], { config: store(), env });
  aws.state.imds.disabled = false;
  assert.equal(turnedOff.code, 78);
  assert.match(turnedOff.stderr, /no AWS credentials: .*, and the EC2 instance metadata service at .* answered HTTP 403/);
  assert.ok(off.ms < 5000, `${off.ms} ms`);

  // A metadata address where something takes the connection and never answers: one second
  // for the first answer (as the SDKs wait), then 78 — not the 30 s of --timeout.
  const held = [];
  const silent = net.createServer((c) => held.push(c));
  await new Promise((r) => silent.listen(0, '127.0.0.1', r));
  const mute = await launch(['read', ref('mcp/github')], { config: store(),
    env: { ...env, AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${silent.address().port}` } });
  for (const c of held) c.destroy();
  silent.close();
  assert.equal(mute.code, 78, mute.stderr);
  assert.match(mute.stderr, /no AWS credentials: .*, and the EC2 instance metadata service at .* did not answer/);
  assert.ok(mute.ms >= 900 && mute.ms < 15_000, `${mute.ms} ms`);

  const disabled = await launch(['read', ref('mcp/github')], { config: store(), env: envEndpoints() });
  assert.equal(disabled.code, 78);
  assert.match(disabled.stderr, /no AWS credentials: .*AWS_EC2_METADATA_DISABLED/);
});

test('AWS errors map to exit codes with AWS\'s message', async () => {
  const cases = [
    [store(withKeys()), ref('mcp/nope'), 78, /ResourceNotFoundException: Secrets Manager can't find the specified secret/],
    [store(withKeys()), ref('mcp/github?versionStage=NOPE'), 78, /staging label: NOPE/],
    [store(withKeys({ accessKeyId: 'AKIAUNKNOWNUNKNOWN00' })), ref('mcp/github'), 77, /UnrecognizedClientException: The security token included in the request is invalid\. \(credentials from configuration\)/],
    [store(withKeys({ secretAccessKey: 'not-the-secret' })), ref('mcp/github'), 77, /InvalidSignatureException: The request signature we calculated does not match/],
    [store(withKeys()), ref('mcp/github?versionStage'), 78, /the qualifiers are \?versionStage=STAGE and \?versionId=ID/],
    [store({ ...withKeys(), region: 'us-east-1' }), ref('mcp/github'), 77, /InvalidSignatureException: Credential should be scoped to a valid region/],
    [store({ endpoint: aws.url, accessKeyId: 'AKIAX', secretAccessKey: 'x' }), ref('mcp/github'), 78, /no AWS region: set configuration.region or AWS_REGION/],
    [store(withKeys({ secretAccessKey: undefined })), ref('mcp/github'), 78, /accessKeyId and secretAccessKey go together/],
  ];
  for (const [config, reference, code, message] of cases) {
    const r = await launch(['read', reference], { config: JSON.parse(JSON.stringify(config)), env: { AWS_EC2_METADATA_DISABLED: 'true' } });
    assert.equal(r.code, code, `${reference}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  aws.state.denied.add('mcp/db');
  const denied = await launch(['read', ref('mcp/db')], { config: store(withKeys()) });
  aws.state.denied.delete('mcp/db');
  assert.equal(denied.code, 77);
  assert.match(denied.stderr, /AccessDeniedException: User: .* is not authorized to perform: secretsmanager:GetSecretValue/);

  const temp = aws.issueKeys({ temporary: true });
  aws.state.keys.get(temp.accessKeyId).expired = true;
  const expired = await launch(['read', ref('mcp/github')], { config: store(withKeys({ ...temp })) });
  assert.equal(expired.code, 77);
  assert.match(expired.stderr, /ExpiredTokenException: The security token included in the request is expired/);
});

test('throttling (HTTP 400) and 5xx are retried; when they persist, 69', async () => {
  const throttle = { status: 400, json: { __type: 'ThrottlingException', message: 'Rate exceeded' } };
  aws.faults.push(throttle, { status: 503, json: {} });
  const r = await launch(['read', ref('mcp/github')], { config: store(withKeys()) });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'ghp_awsSecret0001\n');
  aws.faults.push(throttle, throttle, throttle, throttle);
  const persistent = await launch(['read', ref('mcp/github')], { config: store(withKeys()) });
  assert.equal(persistent.code, 69, persistent.stderr);
  assert.match(persistent.stderr, /ThrottlingException: Rate exceeded/);
  aws.faults.length = 0;
});

test('batches: 20 secrets a call; a refused batch or a missing secret falls back to single reads', async () => {
  for (let i = 0; i < 45; i++) aws.put(`bulk/s${i}`, { string: `bulk-value-${i}` });
  const refs = Array.from({ length: 45 }, (_, i) => ref(`bulk/s${i}`));
  let before = calls();
  const r = await launch(['read', '--json', ...refs], { config: store(withKeys()) });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(values(r, refs), Array.from({ length: 45 }, (_, i) => `bulk-value-${i}`));
  assert.deepEqual(delta(before), { GetSecretValue: 0, BatchGetSecretValue: 3, sts: 0, container: 0, imds: 0, assumeRole: 0, sso: 0 });

  aws.state.batchDenied = true;
  before = calls();
  const single = await launch(['read', '--json', ...refs.slice(0, 5)], { config: store(withKeys()) });
  aws.state.batchDenied = false;
  assert.equal(single.code, 0, single.stderr);
  assert.deepEqual(delta(before), { GetSecretValue: 5, BatchGetSecretValue: 1, sts: 0, container: 0, imds: 0, assumeRole: 0, sso: 0 });

  before = calls();
  const missing = await launch(['read', ref('bulk/s1'), ref('bulk/none'), ref('bulk/s2')], { config: store(withKeys()) });
  assert.equal(missing.code, 78);
  assert.match(missing.stderr, /bulk\/none.*ResourceNotFoundException/);
  assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
  assert.deepEqual(delta(before), { GetSecretValue: 1, BatchGetSecretValue: 1, sts: 0, container: 0, imds: 0, assumeRole: 0, sso: 0 });
});

test('a credential endpoint variable that would inject a header line is refused, naming it', async () => {
  const env = { ...envEndpoints(), AWS_CONTAINER_AUTHORIZATION_TOKEN: aws.state.container.token };
  const cases = [
    ['AWS_CONTAINER_CREDENTIALS_FULL_URI', `${aws.containerUrl}\r\nX-Injected: 1`],
    ['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', '/v2/credentials\r\nX-Injected: 1'],
    ['AWS_CONTAINER_CREDENTIALS_FULL_URI', `${aws.containerUrl} HTTP/1.1`],
  ];
  for (const [name, value] of cases) {
    const r = await launch(['read', ref('mcp/github')], { config: store(), env: { ...env, [name]: value } });
    assert.equal(r.code, 78, r.stderr);
    assert.match(r.stderr, new RegExp(`${name}: not a usable URL: it holds a space or a control character`));
    assert.equal(r.stdout, '');
  }
  const { AWS_EC2_METADATA_DISABLED, ...imdsEnv } = envEndpoints();
  const imds = await launch(['read', ref('mcp/github')], { config: store(),
    env: { ...imdsEnv, AWS_EC2_METADATA_SERVICE_ENDPOINT: `${aws.imdsUrl}/\nX-Injected: 1` } });
  assert.equal(imds.code, 78, imds.stderr);
  assert.match(imds.stderr, /AWS_EC2_METADATA_SERVICE_ENDPOINT: not a usable URL/);
});
