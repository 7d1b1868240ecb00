// The AWS chain as a developer's laptop has it, against the AWS doubles: IAM Identity Center
// logins cached by `aws sso login` (both profile forms), roles assumed through source_profile
// chains and credential_source, the store's own roleArn — and which identity finally read
// the secret, which the doubles record from the signing keys.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCertificates } from './lib/tls.mjs';
import { startAws } from './lib/aws.mjs';
import { launch, childEnv, tempDir } from './lib/launch.mjs';

let certs, aws;
const dir = tempDir('mcpl-aws-profiles-');
const roles = {};

before(async () => {
  certs = makeCertificates();
  aws = await startAws({ tls: certs.localhost, region: 'eu-west-1' });
  aws.put('mcp/github', { string: 'ghp_ssoSecret0001' });
  const role = (name) => `arn:aws:iam::${aws.account}:role/${name}`;
  Object.assign(roles, { sso: `arn:aws:iam::${aws.account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Developer`,
    mid: role('mid'), app: role('app'), reader: role('reader') });
  aws.state.roles.set(roles.mid, { trusts: new Set([aws.state.user]) });
  aws.state.roles.set(roles.app, { trusts: new Set([roles.mid]), externalId: 'ext-0001', maxSessionDuration: 7200 });
  aws.state.roles.set(roles.reader, { trusts: new Set([roles.sso, aws.state.user]) });
});
after(async () => { await aws.close(); certs.remove(); });

const ref = (id) => `{{ secrets.aws.[${id}] }}`;
const store = (configuration = {}) => ({ secretStores: [{ name: 'aws', type: 'aws_secrets_manager', configuration }] });
const sha1 = (text) => createHash('sha1').update(text).digest('hex');
const env = (HOME, extra = {}) => ({ HOME, AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url, AWS_ENDPOINT_URL_STS: aws.stsUrl,
  AWS_ENDPOINT_URL_SSO: aws.ssoUrl, AWS_CA_BUNDLE: certs.caFile, AWS_EC2_METADATA_DISABLED: 'true', ...extra });

/** A home directory with ~/.aws files and, for each of `logins`, a token cached as the AWS CLI v2 caches it. */
function home({ config = '', credentials = '', logins = {} }) {
  const h = mkdtempSync(join(dir, 'home-'));
  mkdirSync(join(h, '.aws', 'sso', 'cache'), { recursive: true });
  writeFileSync(join(h, '.aws', 'config'), config);
  writeFileSync(join(h, '.aws', 'credentials'), credentials);
  for (const [key, login] of Object.entries(logins))
    writeFileSync(join(h, '.aws', 'sso', 'cache', `${sha1(key)}.json`), JSON.stringify(login));
  return h;
}

/** A login the portal knows, for `assignments`, valid for `minutes` (negative: expired). */
function ssoLogin({ minutes = 60, assignments = [`${aws.account}/Developer`] } = {}) {
  const accessToken = 'aoa' + createHash('sha256').update(String(Math.random())).digest('base64url');
  const expires = Date.now() + minutes * 60_000;
  aws.state.sso.tokens.set(accessToken, { expires, assignments: new Set(assignments) });
  return { startUrl: 'https://corp.awsapps.com/start', region: 'us-east-2', accessToken,
    expiresAt: new Date(expires).toISOString().replace(/\.\d+Z$/, 'Z'), clientId: 'cid-0001',
    clientSecret: 'client-secret-0001', registrationExpiresAt: '2027-02-28T00:00:00Z', refreshToken: 'refresh-0001' };
}

const ssoConfig = (extra = '') => `[profile dev]\nsso_session = corp\nsso_account_id = ${aws.account}\n` +
  `sso_role_name = Developer\nregion = eu-west-1\n${extra}\n[sso-session corp]\n` +
  'sso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-2\nsso_registration_scopes = sso:account:access\n';

test('IAM Identity Center: the token `aws sso login` cached buys the role\'s keys', async () => {
  const login = ssoLogin();
  const HOME = home({ config: ssoConfig(), logins: { corp: login } });
  aws.state.readers.length = 0;
  const r = await launch(['--', 'env', '-0'], { config: store(), env: { ...env(HOME, { AWS_PROFILE: 'dev' }), GH: ref('mcp/github') } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(childEnv(r.stdout).GH, 'ghp_ssoSecret0001');
  assert.deepEqual(aws.state.readers, [roles.sso], 'read with the SSO role\'s keys');
  const seen = aws.stats.seen;  // the portal's requests are not in the Secrets Manager's stats
  assert.ok(seen.every((s) => !s.query.includes(login.accessToken)));

  const check = await launch(['check', '--json', '--', 'env'], { config: store(), env: { ...env(HOME, { AWS_PROFILE: 'dev' }), GH: ref('mcp/github') } });
  assert.equal(check.code, 0, check.stderr);
  assert.deepEqual(JSON.parse(check.stdout).credentials, { aws: "profile 'dev' (IAM Identity Center, session 'corp')" });

  // The legacy form: the start URL in the profile names the cache file.
  const legacy = home({ config: `[profile old]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-2\n` +
    `sso_account_id = ${aws.account}\nsso_role_name = Developer\nregion = eu-west-1\n`,
    logins: { 'https://corp.awsapps.com/start': ssoLogin() } });
  const old = await launch(['read', ref('mcp/github')], { config: store(), env: env(legacy, { AWS_PROFILE: 'old' }) });
  assert.equal(old.code, 0, old.stderr);
  assert.equal(old.stdout, 'ghp_ssoSecret0001\n');
});

test('IAM Identity Center: no login, an expired one, or a role not assigned end with 77 and how to log in', async () => {
  const cases = [
    [home({ config: ssoConfig() }), /no IAM Identity Center login for profile 'dev' .*: run `aws sso login --sso-session corp`/],
    [home({ config: ssoConfig(), logins: { corp: ssoLogin({ minutes: -5 }) } }), /login of profile 'dev' .* expired at .*: run `aws sso login --sso-session corp`/],
    [home({ config: ssoConfig(), logins: { corp: ssoLogin({ assignments: [] }) } }), /GetRoleCredentials: HTTP 403.*No access.*run `aws sso login/],
  ];
  for (const [HOME, message] of cases) {
    const before = aws.state.calls.GetSecretValue;
    const r = await launch(['read', ref('mcp/github')], { config: store(), env: env(HOME, { AWS_PROFILE: 'dev' }) });
    assert.equal(r.code, 77, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(aws.state.calls.GetSecretValue, before, 'no secret read');
  }
  // A login the portal no longer honours (signed out elsewhere) though the cache says it is valid.
  const revoked = ssoLogin();
  aws.state.sso.tokens.delete(revoked.accessToken);
  const r = await launch(['read', ref('mcp/github')], { config: store(), env: env(home({ config: ssoConfig(), logins: { corp: revoked } }), { AWS_PROFILE: 'dev' }) });
  assert.equal(r.code, 77);
  assert.match(r.stderr, /IAM Identity Center no longer takes the login \(Session token not found or invalid\): run `aws sso login --sso-session corp`/);
});

test('roles: a source_profile chain, each role assumed with the credentials before it', async () => {
  const keys = aws.issueKeys();
  const config = `[profile app]\nrole_arn = ${roles.app}\nsource_profile = mid\nexternal_id = ext-0001\nduration_seconds = 7200\n` +
    `role_session_name = laptop\nregion = eu-west-1\n[profile mid]\nrole_arn = ${roles.mid}\nsource_profile = base\n`;
  const credentials = `[base]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`;
  const HOME = home({ config, credentials });
  aws.state.readers.length = 0;
  aws.state.assumed.length = 0;
  const r = await launch(['read', ref('mcp/github')], { config: store(), env: env(HOME, { AWS_PROFILE: 'app' }) });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'ghp_ssoSecret0001\n');
  assert.deepEqual(aws.state.assumed.map(({ role, by }) => [role, by]), [[roles.mid, aws.state.user], [roles.app, roles.mid]]);
  assert.equal(aws.state.assumed[1].session, 'laptop');
  assert.equal(aws.state.assumed[1].duration, 7200);
  assert.deepEqual(aws.state.readers, [roles.app]);

  // The role checks the external ID; a wrong one is a refusal that names the step.
  const wrong = home({ config: config.replace('ext-0001', 'ext-9999'), credentials });
  const refused = await launch(['read', ref('mcp/github')], { config: store(), env: env(wrong, { AWS_PROFILE: 'app' }) });
  assert.equal(refused.code, 77);
  assert.match(refused.stderr, new RegExp(`assuming ${roles.app} \\(profile 'app'\\): HTTP 403: AccessDenied: User: ${roles.mid} is not authorized`));

  const cycle = home({ config: `[profile app]\nrole_arn = ${roles.app}\nsource_profile = b\nregion = eu-west-1\n[profile b]\nrole_arn = ${roles.mid}\nsource_profile = app\n` });
  const c = await launch(['read', ref('mcp/github')], { config: store(), env: env(cycle, { AWS_PROFILE: 'app' }) });
  assert.equal(c.code, 78);
  assert.match(c.stderr, /source_profile goes round in a cycle: 'app' → 'b' → 'app'/);
  const mfa = home({ config: config + 'mfa_serial = arn:aws:iam::1:mfa/me\n', credentials });
  const m = await launch(['read', ref('mcp/github')], { config: store(), env: env(mfa, { AWS_PROFILE: 'mid', AWS_REGION: 'eu-west-1' }) });
  assert.equal(m.code, 78);
  assert.match(m.stderr, /profile 'mid' asks for an MFA code \(mfa_serial\)/);
});

test('roles: credential_source Environment, whose keys the child does not get, and the store\'s roleArn on an SSO login', async () => {
  const keys = aws.issueKeys();
  const HOME = home({ config: `[profile ci]\nrole_arn = ${roles.reader}\ncredential_source = Environment\nregion = eu-west-1\n` });
  aws.state.readers.length = 0;
  const r = await launch(['--', 'env', '-0'], { config: store(), env: { ...env(HOME, { AWS_PROFILE: 'ci',
    AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey }), GH: ref('mcp/github') } });
  assert.equal(r.code, 0, r.stderr);
  const child = childEnv(r.stdout);
  assert.equal(child.GH, 'ghp_ssoSecret0001');
  assert.equal(child.AWS_ACCESS_KEY_ID, undefined);
  assert.equal(child.AWS_SECRET_ACCESS_KEY, undefined);
  assert.deepEqual(aws.state.readers, [roles.reader]);

  const sso = home({ config: ssoConfig(), logins: { corp: ssoLogin() } });
  aws.state.assumed.length = 0;
  const onSso = await launch(['read', ref('mcp/github')], { config: store({ roleArn: roles.reader }), env: env(sso, { AWS_PROFILE: 'dev' }) });
  assert.equal(onSso.code, 0, onSso.stderr);
  assert.deepEqual(aws.state.assumed.map(({ role, by }) => [role, by]), [[roles.reader, roles.sso]]);
  const noTrust = await launch(['read', ref('mcp/github')], { config: store({ roleArn: roles.app, externalId: 'ext-0001' }), env: env(sso, { AWS_PROFILE: 'dev' }) });
  assert.equal(noTrust.code, 77);
  assert.match(noTrust.stderr, /assuming .*role\/app \(configuration.roleArn\): HTTP 403: AccessDenied/);
});

test('supervise: the SSO role\'s keys and the role assumed with them are renewed before they lapse', async () => {
  const HOME = home({ config: ssoConfig(), logins: { corp: ssoLogin() } });
  aws.state.credentialsTtlSeconds = 3;
  const sso = aws.state.calls.sso, assumed = aws.state.calls.assumeRole, reads = aws.state.calls.GetSecretValue;
  try {
    const r = await launch(['--supervise', '--refresh', '1s', '--', 'sh', '-c', 'sleep 5; printf %s "$GH"'],
      { config: { ...store({ roleArn: roles.reader }), cache: { ttl: '1s' } }, env: { ...env(HOME, { AWS_PROFILE: 'dev' }), GH: ref('mcp/github') }, timeoutMs: 20_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ghp_ssoSecret0001');
  } finally {
    aws.state.credentialsTtlSeconds = 3600;
  }
  const got = { sso: aws.state.calls.sso - sso, assumed: aws.state.calls.assumeRole - assumed, reads: aws.state.calls.GetSecretValue - reads };
  // Keys live 3 s and values are read every second: new keys about every 2.4 s, none refused.
  assert.ok(got.reads >= 4, JSON.stringify(got));
  assert.ok(got.sso >= 2 && got.sso < got.reads, JSON.stringify(got));
  assert.ok(got.assumed >= 2 && got.assumed < got.reads, JSON.stringify(got));
});
