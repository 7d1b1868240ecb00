// The shared files and the SSO token cache as aws-profiles.test.mjs writes them, read by AWS's
// own credential providers (fromSSO, fromIni) against the same doubles: the files are the
// ones `aws configure sso` and `aws sso login` write, and the doubles answer what the SDK
// expects — the portal's GetRoleCredentials and STS AssumeRole, signature and trust checked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCertificates } from '../stores/lib/tls.mjs';
import { startAws } from '../stores/lib/aws.mjs';
import { tempDir } from '../stores/lib/temp.mjs';

let certs, aws;
before(async () => {
  certs = makeCertificates();
  aws = await startAws({ tls: certs.localhost, region: 'eu-west-1' });
  aws.put('mcp/github', { string: 'ghp_sdkProfiles0001' });
});
after(async () => { await aws.close(); certs.remove(); });

test('fromSSO and fromIni: IAM Identity Center (both forms), a source_profile chain, an expired login', async () => {
  const sso = `arn:aws:iam::${aws.account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Developer`;
  const mid = `arn:aws:iam::${aws.account}:role/mid`;
  const app = `arn:aws:iam::${aws.account}:role/app`;
  aws.state.roles.set(mid, { trusts: new Set([aws.state.user]) });
  aws.state.roles.set(app, { trusts: new Set([mid]), externalId: 'ext-0001' });
  const login = (minutes) => {
    const accessToken = 'aoa' + createHash('sha256').update(String(Math.random())).digest('base64url');
    aws.state.sso.tokens.set(accessToken, { expires: Date.now() + minutes * 60_000, assignments: new Set([`${aws.account}/Developer`]) });
    return JSON.stringify({ startUrl: 'https://corp.awsapps.com/start', region: 'us-east-2', accessToken,
      expiresAt: new Date(Date.now() + minutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z') });
  };
  const HOME = tempDir('mcpl-sdk-home-');
  const cache = join(HOME, '.aws', 'sso', 'cache');
  mkdirSync(cache, { recursive: true });
  const keys = aws.issueKeys();
  writeFileSync(join(HOME, '.aws', 'config'), `[profile dev]\nsso_session = corp\nsso_account_id = ${aws.account}\n` +
    'sso_role_name = Developer\nregion = eu-west-1\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n' +
    'sso_region = us-east-2\n[profile old]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-2\n' +
    `sso_account_id = ${aws.account}\nsso_role_name = Developer\nregion = eu-west-1\n` +
    `[profile expired]\nsso_session = gone\nsso_account_id = ${aws.account}\nsso_role_name = Developer\nregion = eu-west-1\n` +
    '[sso-session gone]\nsso_start_url = https://gone.awsapps.com/start\nsso_region = us-east-2\n' +
    `[profile app]\nrole_arn = ${app}\nsource_profile = mid\nexternal_id = ext-0001\nregion = eu-west-1\n` +
    `[profile mid]\nrole_arn = ${mid}\nsource_profile = base\n`);
  writeFileSync(join(HOME, '.aws', 'credentials'), `[base]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`);
  const sha1 = (text) => createHash('sha1').update(text).digest('hex');
  writeFileSync(join(cache, `${sha1('corp')}.json`), login(60));
  writeFileSync(join(cache, `${sha1('https://old.awsapps.com/start')}.json`), login(60));
  writeFileSync(join(cache, `${sha1('gone')}.json`), login(-5));
  aws.state.readers.length = 0;
  aws.state.assumed.length = 0;
  const stdout = await new Promise((resolve, reject) => execFile(process.execPath,
    [fileURLToPath(new URL('./aws-sdk-profiles-client.mjs', import.meta.url))],
    { env: { PATH: process.env.PATH, HOME, NODE_EXTRA_CA_CERTS: certs.caFile, AWS_ENDPOINT_URL_SSO: aws.ssoUrl,
      AWS_ENDPOINT_URL_STS: aws.stsUrl, AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url, AWS_EC2_METADATA_DISABLED: 'true' },
    timeout: 60_000 }, (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out))));
  const got = JSON.parse(stdout);
  assert.equal(got.ssoSession, 'ghp_sdkProfiles0001', JSON.stringify(got.ssoSession));
  assert.equal(got.iniSso, 'ghp_sdkProfiles0001', JSON.stringify(got.iniSso));
  assert.equal(got.iniLegacySso, 'ghp_sdkProfiles0001', JSON.stringify(got.iniLegacySso));
  assert.equal(got.iniChain, 'ghp_sdkProfiles0001', JSON.stringify(got.iniChain));
  assert.match(got.iniExpired.message, /expired|SSO/i);
  assert.deepEqual(aws.state.readers, [sso, sso, sso, app]);
  assert.deepEqual(aws.state.assumed.map(({ role, by }) => [role, by]), [[mid, aws.state.user], [app, mid]]);
});
