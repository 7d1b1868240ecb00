// AWS doubles: Secrets Manager (JSON protocol, every request's SigV4 verified), STS
// AssumeRoleWithWebIdentity and AssumeRole (query protocol, XML), the IAM Identity Center
// portal (aws-identity.mjs), the ECS/EKS container credentials endpoint
// and EC2's instance metadata service (IMDSv2) — answering with AWS's shapes and error names,
// and checking what AWS checks: signatures, session tokens, expiry, the web identity token,
// the container authorization token, the IMDS session token.
import { randomBytes, randomUUID } from 'node:crypto';
import { startServer } from './server.mjs';
import { verify } from './sigv4.mjs';
import { assumeRole, ssoPortal, stsCredentials } from './aws-identity.mjs';

const ACCOUNT = '123456789012';
const json = (status, body) => ({ status, json: body, headers: { 'content-type': 'application/x-amz-json-1.1' } });
const awsError = (type, message) => json(400, { __type: type, message });

export async function startAws({ tls, region = 'us-east-1', latencyMs = 0 } = {}) {
  const state = {
    region,
    keys: new Map(),      // access key id → { secret, sessionToken?, expired?, expires? }
    secrets: new Map(),   // name → { arn, versions: [{ id, stages, string?, binary? }] }
    denied: new Set(),    // secret names no key may read
    batchDenied: false,   // the policy allows GetSecretValue but not BatchGetSecretValue
    calls: { GetSecretValue: 0, BatchGetSecretValue: 0, sts: 0, container: 0, imds: 0, assumeRole: 0, sso: 0 },
    roles: new Map(),     // role ARN → { trusts: Set(principal ARN), externalId?, maxSessionDuration? }
    assumed: [],          // every AssumeRole granted: { role, by, session, duration }
    sso: { tokens: new Map() },  // access token → { expires, assignments: Set('ACCOUNT/ROLE') }
    readers: [],          // the principal of every Secrets Manager call
    user: `arn:aws:iam::${ACCOUNT}:user/developer`,  // who long-term keys belong to
    webIdentity: { roleArn: `arn:aws:iam::${ACCOUNT}:role/mcp`, token: 'eyJhbGciOiJSUzI1NiJ9.eks-sa-token.sig' },
    container: { token: 'container-auth-token-0001', path: '/v2/credentials/task-1' },
    imds: { role: 'mcp-instance-role', tokens: new Set() },
    credentialsTtlSeconds: 3600,  // what temporary keys live; AWS refuses them after that
  };

  /** A time as AWS writes an Expiration: ISO 8601, UTC, whole seconds. */
  const awsTime = (date) => date.toISOString().replace(/\.\d+Z$/, 'Z');

  /** Long-term keys, or temporary ones with a session token (and an expiration). */
  const issueKeys = ({ temporary = false, owner, ttlSeconds = state.credentialsTtlSeconds } = {}) => {
    const akid = (temporary ? 'ASIA' : 'AKIA') + randomBytes(8).toString('hex').toUpperCase();
    const key = { secret: randomBytes(20).toString('base64'), owner: owner ?? (temporary ? `arn:aws:iam::${ACCOUNT}:role/mcp` : state.user) };
    if (temporary) {
      key.sessionToken = 'IQoJb3JpZ2luX2VjE' + randomBytes(24).toString('base64');
      key.expires = Date.now() + ttlSeconds * 1000;
    }
    state.keys.set(akid, key);
    return { accessKeyId: akid, secretAccessKey: key.secret, sessionToken: key.sessionToken,
      expiration: key.expires && new Date(key.expires) };
  };

  /** Adds a version of secret `name` ({ string } or { binary: Buffer }), made AWSCURRENT. */
  const put = (name, value, { stage = 'AWSCURRENT' } = {}) => {
    let s = state.secrets.get(name);
    if (!s) {
      s = { arn: `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}-${randomBytes(3).toString('hex').slice(0, 6)}`, versions: [] };
      state.secrets.set(name, s);
    }
    for (const v of s.versions) {
      if (stage === 'AWSCURRENT' && v.stages.includes('AWSCURRENT')) v.stages = ['AWSPREVIOUS'];
      else v.stages = v.stages.filter((x) => x !== stage);
    }
    const id = randomUUID();
    s.versions.push({ id, stages: [stage], ...value });
    return id;
  };

  // A name, full ARN, or partial ARN (the ARN without its six random characters).
  const find = (secretId) => {
    for (const [name, s] of state.secrets)
      if (secretId === name || secretId === s.arn || s.arn === `${secretId}-${s.arn.slice(-6)}`) return [name, s];
    return [];
  };

  const entry = (name, s, v) => ({
    ARN: s.arn, Name: name, VersionId: v.id, VersionStages: v.stages, CreatedDate: 1764400000.123,
    ...(v.binary ? { SecretBinary: v.binary.toString('base64') } : { SecretString: v.string }),
  });

  const getValue = (input) => {
    const [name, s] = find(input.SecretId ?? '');
    if (!s) return { error: ['ResourceNotFoundException', "Secrets Manager can't find the specified secret."] };
    if (state.denied.has(name))
      return { error: ['AccessDeniedException', `User: arn:aws:sts::${ACCOUNT}:assumed-role/mcp/session is not authorized to perform: secretsmanager:GetSecretValue on resource: ${input.SecretId} because no identity-based policy allows the secretsmanager:GetSecretValue action`] };
    let v;
    if (input.VersionId) {
      v = s.versions.find((x) => x.id === input.VersionId);
      if (v && input.VersionStage && !v.stages.includes(input.VersionStage))
        return { error: ['InvalidRequestException', 'You provided a VersionStage that is not associated to the provided VersionId.'] };
      if (!v) return { error: ['ResourceNotFoundException', `Secrets Manager can't find the specified secret value for VersionId: ${input.VersionId}`] };
    } else {
      const stage = input.VersionStage ?? 'AWSCURRENT';
      v = s.versions.find((x) => x.stages.includes(stage));
      if (!v) return { error: ['ResourceNotFoundException', `Secrets Manager can't find the specified secret value for staging label: ${stage}`] };
    }
    return { value: entry(name, s, v) };
  };

  const secretsManager = async (req, body, url) => {
    if (req.method !== 'POST' || url.pathname !== '/') return json(404, { message: 'Not Found' });
    const checked = verify(req, body, url, { keys: state.keys, region, service: 'secretsmanager' });
    if (checked.error) return awsError(checked.error.type, checked.error.message);
    state.readers.push(state.keys.get(checked.akid).owner);
    if (req.headers['content-type'] !== 'application/x-amz-json-1.1')
      return awsError('SerializationException', 'Start of structure or map found where not expected.');
    const op = (req.headers['x-amz-target'] ?? '').replace(/^secretsmanager\./, '');
    let input;
    try { input = JSON.parse(body); } catch { return awsError('SerializationException', 'Unexpected token'); }
    if (op === 'GetSecretValue') {
      state.calls.GetSecretValue++;
      const got = getValue(input);
      return got.error ? awsError(...got.error) : json(200, got.value);
    }
    if (op === 'BatchGetSecretValue') {
      state.calls.BatchGetSecretValue++;
      if (state.batchDenied)
        return awsError('AccessDeniedException', `User: arn:aws:sts::${ACCOUNT}:assumed-role/mcp/session is not authorized to perform: secretsmanager:BatchGetSecretValue because no identity-based policy allows the secretsmanager:BatchGetSecretValue action`);
      const ids = input.SecretIdList ?? [];
      if (ids.length > 20) return awsError('InvalidParameterException', 'SecretIdList may hold at most 20 secret ids.');
      const SecretValues = [];
      const Errors = [];
      for (const id of ids) {
        const got = getValue({ SecretId: id });
        if (got.error) Errors.push({ SecretId: id, ErrorCode: got.error[0], Message: got.error[1] });
        else SecretValues.push(got.value);
      }
      return json(200, { SecretValues, Errors });
    }
    return awsError('UnknownOperationException', '');
  };

  const stsXml = (status, inner) => ({ status, text: inner, headers: { 'content-type': 'text/xml' } });
  const sts = async (req, body, url) => {
    // The query API as the SDKs use it: a form POSTed to the root.
    if (req.method !== 'POST' || url.pathname !== '/' ||
        !(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
      return stsXml(400, '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Could not find operation</Message></Error></ErrorResponse>');
    const form = new URLSearchParams(body);
    if (form.get('Action') === 'AssumeRole' && form.get('Version') === '2011-06-15')
      return assumeRole(state, issueKeys, req, body, url, form);
    if (form.get('Action') !== 'AssumeRoleWithWebIdentity' || form.get('Version') !== '2011-06-15')
      return stsXml(400, '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Could not find operation</Message></Error></ErrorResponse>');
    state.calls.sts++;
    if (form.get('WebIdentityToken') !== state.webIdentity.token)
      return stsXml(400, '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>Couldn&apos;t retrieve verification key from your identity provider</Message></Error><RequestId>r-1</RequestId></ErrorResponse>');
    if (form.get('RoleArn') !== state.webIdentity.roleArn)
      return stsXml(403, '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message></Error><RequestId>r-2</RequestId></ErrorResponse>');
    if (!/^[\w+=,.@-]{2,64}$/.test(form.get('RoleSessionName') ?? ''))
      return stsXml(400, '<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>RoleSessionName is invalid</Message></Error></ErrorResponse>');
    state.lastSessionName = form.get('RoleSessionName');
    const k = issueKeys({ temporary: true });
    return stsCredentials('AssumeRoleWithWebIdentity', k, `${state.webIdentity.roleArn}/${form.get('RoleSessionName')}`,
      '\n    <Audience>sts.amazonaws.com</Audience>');
  };

  const credentialsJson = (k) => ({ AccessKeyId: k.accessKeyId, SecretAccessKey: k.secretAccessKey,
    Token: k.sessionToken, Expiration: awsTime(k.expiration) });

  const container = async (req, body, url) => {
    state.calls.container++;
    if (req.method !== 'GET' || url.pathname !== state.container.path) return { status: 404, json: { message: 'not found' } };
    if (req.headers.authorization !== state.container.token) return { status: 401, json: { message: 'unauthorized' } };
    return { status: 200, json: credentialsJson(issueKeys({ temporary: true })) };
  };

  const imds = async (req, body, url) => {
    state.calls.imds++;
    if (url.pathname === '/latest/api/token') {
      if (req.method !== 'PUT') return { status: 405, text: '' };
      if (state.imds.disabled) return { status: 403, text: '' };  // IMDS turned off on the instance
      const ttl = Number(req.headers['x-aws-ec2-metadata-token-ttl-seconds']);
      if (!(ttl >= 1 && ttl <= 21600)) return { status: 400, text: 'bad ttl' };
      const token = 'AQAEA' + randomBytes(16).toString('hex');
      state.imds.tokens.add(token);
      return { status: 200, text: token };
    }
    if (!state.imds.tokens.has(req.headers['x-aws-ec2-metadata-token'] ?? '')) return { status: 401, text: '' };
    const base = '/latest/meta-data/iam/security-credentials/';
    if (url.pathname === base) return state.imds.role ? { status: 200, text: state.imds.role } : { status: 404, text: '' };
    if (url.pathname === base + state.imds.role)
      return { status: 200, json: { Code: 'Success', LastUpdated: '2026-11-29T12:00:00Z', Type: 'AWS-HMAC', ...credentialsJson(issueKeys({ temporary: true })) } };
    return { status: 404, text: '' };
  };

  const sm = await startServer({ tls, route: secretsManager, latencyMs });
  const stsServer = await startServer({ tls, route: sts, latencyMs });
  const containerServer = await startServer({ route: container });
  const imdsServer = await startServer({ route: imds });
  const ssoServer = await startServer({ tls, route: ssoPortal(state, issueKeys), latencyMs });
  return {
    state, put, issueKeys, stats: sm.stats, faults: sm.faults,
    url: sm.url, stsUrl: stsServer.url,
    containerUrl: containerServer.url + state.container.path, imdsUrl: imdsServer.url,
    ssoUrl: ssoServer.url, account: ACCOUNT,
    dropIdle() { sm.dropIdle(); stsServer.dropIdle(); },
    close: () => Promise.all([sm, stsServer, containerServer, imdsServer, ssoServer].map((s) => s.close())),
  };
}
