// Two more AWS identity services for the AWS doubles: STS AssumeRole (SigV4-signed by the
// caller's credentials, which the role's trust policy must name; ExternalId and
// DurationSeconds checked as IAM checks them) and the IAM Identity Center portal's
// GetRoleCredentials (the bearer token of `aws sso login`, the account and role it is
// assigned). Both issue temporary keys that know whose they are, so a test can see which
// identity finally read a secret.
import { verify } from './sigv4.mjs';

const stsXml = (status, inner) => ({ status, text: inner, headers: { 'content-type': 'text/xml' } });
const stsError = (status, code, message) => stsXml(status,
  `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-9</RequestId></ErrorResponse>`);
const awsTime = (date) => date.toISOString().replace(/\.\d+Z$/, 'Z');

/** STS's answer to `action` granting keys `k` for the session `arn` (+ an extra element). */
export function stsCredentials(action, k, arn, extra = '') {
  const session = arn.split('/').at(-1);
  return stsXml(200, `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <${action}Result>${extra}
    <AssumedRoleUser><AssumedRoleId>AROA:${session}</AssumedRoleId><Arn>${arn}</Arn></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${k.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${k.secretAccessKey}</SecretAccessKey>
      <SessionToken>${k.sessionToken}</SessionToken>
      <Expiration>${awsTime(k.expiration)}</Expiration>
    </Credentials>
  </${action}Result>
  <ResponseMetadata><RequestId>r-4</RequestId></ResponseMetadata>
</${action}Response>`);
}

/**
 * STS AssumeRole. `state.roles` maps a role ARN to { trusts: Set of principal ARNs (a user,
 * or a role whose sessions may assume it), externalId?, maxSessionDuration (seconds) }.
 */
export function assumeRole(state, issueKeys, req, body, url, form) {
  const checked = verify(req, body, url, { keys: state.keys, region: state.region, service: 'sts' });
  if (checked.error) return stsError(checked.error.type.startsWith('Expired') ? 400 : 403,
    checked.error.type.replace(/Exception$/, ''), checked.error.message);
  state.calls.assumeRole++;
  const caller = state.keys.get(checked.akid).owner;
  const arn = form.get('RoleArn') ?? '';
  const role = state.roles.get(arn);
  if (!role || !role.trusts.has(caller))
    return stsError(403, 'AccessDenied', `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${arn}`);
  if ((role.externalId ?? null) !== (form.get('ExternalId') ?? null))
    return stsError(403, 'AccessDenied', `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${arn}`);
  const session = form.get('RoleSessionName') ?? '';
  if (!/^[\w+=,.@-]{2,64}$/.test(session))
    return stsError(400, 'ValidationError', 'RoleSessionName is invalid');
  const duration = Number(form.get('DurationSeconds') ?? 3600);
  if (!(Number.isInteger(duration) && duration >= 900))
    return stsError(400, 'ValidationError', 'DurationSeconds must be at least 900');
  if (duration > (role.maxSessionDuration ?? 3600))
    return stsError(400, 'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  state.assumed.push({ role: arn, by: caller, session, duration });
  const k = issueKeys({ temporary: true, owner: arn, ttlSeconds: Math.min(duration, state.credentialsTtlSeconds) });
  return stsCredentials('AssumeRole', k, `${arn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/${session}`);
}

/**
 * The IAM Identity Center portal (portal.sso.REGION.amazonaws.com). `state.sso.tokens` maps
 * an access token to { expires (ms), assignments: Set of "ACCOUNT/ROLE" }.
 */
export function ssoPortal(state, issueKeys) {
  const unauthorized = { status: 401, json: { message: 'Session token not found or invalid' },
    headers: { 'x-amzn-errortype': 'UnauthorizedException' } };
  return async (req, body, url) => {
    if (req.method !== 'GET' || url.pathname !== '/federation/credentials')
      return { status: 404, json: { message: 'Not Found' } };
    state.calls.sso++;
    const login = state.sso.tokens.get(req.headers['x-amz-sso_bearer_token'] ?? '');
    if (!login || login.expires <= Date.now()) return unauthorized;
    const account = url.searchParams.get('account_id');
    const roleName = url.searchParams.get('role_name');
    if (!account || !roleName)
      return { status: 400, json: { message: 'account_id and role_name are required' },
               headers: { 'x-amzn-errortype': 'InvalidRequestException' } };
    if (!login.assignments.has(`${account}/${roleName}`))
      return { status: 403, json: { message: 'No access' }, headers: { 'x-amzn-errortype': 'ForbiddenException' } };
    const owner = `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${roleName}`;
    const k = issueKeys({ temporary: true, owner });
    return { status: 200, json: { roleCredentials: { accessKeyId: k.accessKeyId,
      secretAccessKey: k.secretAccessKey, sessionToken: k.sessionToken, expiration: k.expiration.getTime() } } };
  };
}
