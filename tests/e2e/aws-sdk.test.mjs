// The AWS doubles of tests/stores, spoken to by AWS's own JavaScript SDK: what the official
// clients send, the doubles accept, and what they answer, the clients understand. A double
// that only agreed with the launcher could share its mistakes; one the SDK also accepts
// speaks AWS's protocol.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecretsManagerClient, GetSecretValueCommand, BatchGetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { STSClient, AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { fromInstanceMetadata } from '@smithy/credential-provider-imds';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import { makeCertificates } from '../stores/lib/tls.mjs';
import { startAws } from '../stores/lib/aws.mjs';
import { tempDir } from '../stores/lib/temp.mjs';

let certs, aws, handler;
before(async () => {
  certs = makeCertificates();
  aws = await startAws({ tls: certs.localhost, region: 'eu-west-1' });
  aws.put('app/db', { string: '{"password":"pw-sdk-1"}' });
  aws.put('app/db', { string: '{"password":"pw-sdk-2"}' });
  aws.put('app/blob', { binary: Buffer.from([0, 255, 7]) });
  handler = new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: readFileSync(certs.caFile) }) });
});
after(async () => { await aws.close(); certs.remove(); });

const client = (credentials) => new SecretsManagerClient({ region: 'eu-west-1', endpoint: aws.url,
  credentials, requestHandler: handler, maxAttempts: 1 });

test('GetSecretValue and BatchGetSecretValue through the official client', async () => {
  const sm = client(aws.issueKeys());
  const cur = await sm.send(new GetSecretValueCommand({ SecretId: 'app/db' }));
  assert.equal(cur.SecretString, '{"password":"pw-sdk-2"}');
  assert.deepEqual(cur.VersionStages, ['AWSCURRENT']);
  const partial = aws.state.secrets.get('app/db').arn.slice(0, -7);
  const prev = await sm.send(new GetSecretValueCommand({ SecretId: partial, VersionStage: 'AWSPREVIOUS' }));
  assert.equal(prev.SecretString, '{"password":"pw-sdk-1"}');
  assert.ok(prev.CreatedDate instanceof Date);
  const blob = await sm.send(new GetSecretValueCommand({ SecretId: 'app/blob' }));
  assert.deepEqual([...blob.SecretBinary], [0, 255, 7]);
  const batch = await sm.send(new BatchGetSecretValueCommand({ SecretIdList: ['app/db', 'app/none'] }));
  assert.deepEqual(batch.SecretValues.map((v) => v.Name), ['app/db']);
  assert.equal(batch.Errors[0].ErrorCode, 'ResourceNotFoundException');
  // Temporary credentials: the session token is checked too.
  const temp = await client(aws.issueKeys({ temporary: true })).send(new GetSecretValueCommand({ SecretId: 'app/db' }));
  assert.equal(temp.Name, 'app/db');
});

test('AWS error names reach the client as AWS sends them', async () => {
  const keys = aws.issueKeys();
  const cases = [
    [client(keys), 'app/none', 'ResourceNotFoundException'],
    [client({ ...keys, secretAccessKey: 'wrong' }), 'app/db', 'InvalidSignatureException'],
    [client({ accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' }), 'app/db', 'UnrecognizedClientException'],
  ];
  for (const [sm, id, name] of cases)
    await assert.rejects(sm.send(new GetSecretValueCommand({ SecretId: id })), (e) => e.name === name, name);
});

test('STS AssumeRoleWithWebIdentity through the official client', async () => {
  const sts = new STSClient({ region: 'eu-west-1', endpoint: aws.stsUrl, requestHandler: handler, maxAttempts: 1 });
  const out = await sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: aws.state.webIdentity.roleArn,
    RoleSessionName: 'sdk', WebIdentityToken: aws.state.webIdentity.token }));
  assert.match(out.Credentials.AccessKeyId, /^ASIA/);
  const got = await client({ accessKeyId: out.Credentials.AccessKeyId, secretAccessKey: out.Credentials.SecretAccessKey,
    sessionToken: out.Credentials.SessionToken }).send(new GetSecretValueCommand({ SecretId: 'app/db' }));
  assert.equal(got.Name, 'app/db');
  await assert.rejects(sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: aws.state.webIdentity.roleArn,
    RoleSessionName: 'sdk', WebIdentityToken: 'wrong' })), (e) => /^InvalidIdentityToken/.test(e.name));
});

test('the container and instance metadata doubles through the SDK\'s own providers', async () => {
  const saved = { ...process.env };
  try {
    const dir = tempDir('mcpl-sdk-');
    writeFileSync(join(dir, 'token'), aws.state.container.token);
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = aws.containerUrl;
    process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE = join(dir, 'token');
    const fromContainer = await fromHttp({ maxRetries: 0 })();
    assert.match(fromContainer.accessKeyId, /^ASIA/);
    process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = aws.imdsUrl;
    const fromImds = await fromInstanceMetadata({ maxRetries: 0 })();
    assert.match(fromImds.accessKeyId, /^ASIA/);
    const got = await client(fromImds).send(new GetSecretValueCommand({ SecretId: 'app/db' }));
    assert.equal(got.Name, 'app/db');
  } finally {
    process.env = saved;
  }
});
