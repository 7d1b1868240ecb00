// GCP doubles: Secret Manager's REST API (bearer tokens checked on every read, IAM by
// project, payloads with their CRC32C, the quota project recorded), Google's OAuth token
// endpoint (the JWT bearer grant: RS256 signature against the service account's public key,
// iss, aud, scope, iat/exp; the refresh-token grant: client ID, secret and refresh token),
// IAM Credentials' generateAccessToken (the caller's token, its Token Creator grant on the
// target, each delegate in turn), and the metadata server (Metadata-Flavor: Google both
// ways) — in Google's JSON and error shapes.
import { createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { startServer } from './server.mjs';

// CRC32C (Castagnoli), reflected, as Google computes dataCrc32c.
const table = Array.from({ length: 256 }, (_, i) => {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
export function crc32c(buf) {
  let crc = 0xffffffff;
  for (const b of buf) crc = table[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const googleError = (code, status, message) => ({ status: code, json: { error: { code, message, status } } });
const b64url = (s) => Buffer.from(s, 'base64url');

/**
 * @param {string} [o.audience]  the token endpoint's public URL, which assertions must name
 *   (default: its own URL, the key files' token_uri)
 */
export async function startGcp({ tls, latencyMs = 0, audience } = {}) {
  const state = {
    accounts: new Map(),   // client_email → { publicKey, kid, projects: Set }
    tokens: new Map(),     // access token → { projects: Set, principal }
    users: new Map(),      // refresh token → { clientId, clientSecret, principal, projects: Set }
    // Service accounts others may impersonate: email → { projects: Set, tokenCreators: Set(principal) }
    impersonable: new Map(),
    impersonations: [],    // every token generateAccessToken gave: { target, by, delegates }
    quotaProjects: [],     // the x-goog-user-project of every read ('' when absent)
    readers: [],           // the principal of every read
    secrets: new Map(),    // `${project}/${secret}` → [{ data: Buffer, state }]
    corruptCrc: false,
    revokeTokens: false,   // tokens are issued but revoked at once: reads get 401
    tokenRequests: 0, metadataRequests: 0,
    metadata: { projects: new Set(['proj-1']), project: 'proj-1' },
  };
  const issue = (projects, principal) => {
    const token = 'ya29.' + randomBytes(24).toString('base64url');
    if (!state.revokeTokens) state.tokens.set(token, { projects, principal });
    return token;
  };

  /** The file `gcloud auth application-default login` writes, for a user who may read `projects`. */
  const authorizedUser = ({ projects = ['proj-1'], email = 'dev@example.com', quota = 'billing-1' } = {}) => {
    const refresh = '1//0' + randomBytes(30).toString('base64url');
    const clientId = '764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com';
    const clientSecret = 'd-FL95Q19q7MQmFpd7hHD0Ty';
    state.users.set(refresh, { clientId, clientSecret, principal: `user:${email}`, projects: new Set(projects) });
    return { account: '', client_id: clientId, client_secret: clientSecret, quota_project_id: quota,
      refresh_token: refresh, type: 'authorized_user', universe_domain: 'googleapis.com' };
  };

  /** A service account `email` that `tokenCreators` (principals) may impersonate, reading `projects`. */
  const impersonable = (email, { projects = ['proj-1'], tokenCreators = [] } = {}) =>
    state.impersonable.set(email, { projects: new Set(projects), tokenCreators: new Set(tokenCreators) });

  let tokenUri;
  /** A service account key file's JSON, its account allowed to read `projects`. */
  const serviceAccount = ({ projects = ['proj-1'], name = 'mcp' } = {}) => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const email = `${name}@proj-1.iam.gserviceaccount.com`;
    const kid = randomBytes(20).toString('hex');
    state.accounts.set(email, { publicKey, kid, projects: new Set(projects) });
    return { type: 'service_account', project_id: 'proj-1', private_key_id: kid,
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }), client_email: email,
      client_id: '1234567890', token_uri: tokenUri,
      auth_uri: 'https://accounts.google.com/o/oauth2/auth' };
  };

  /** Adds a version to `project/secret`; `data` a string or Buffer. Returns its number. */
  const put = (name, data, { project = 'proj-1', disabled = false } = {}) => {
    const key = `${project}/${name}`;
    const versions = state.secrets.get(key) ?? [];
    versions.push({ data: Buffer.from(data), state: disabled ? 'DISABLED' : 'ENABLED' });
    state.secrets.set(key, versions);
    return versions.length;
  };

  const invalidGrant = (description) => ({ status: 400, json: { error: 'invalid_grant', error_description: description } });
  const refreshGrant = (form) => {
    const user = state.users.get(form.get('refresh_token') ?? '');
    if (!user || user.clientId !== form.get('client_id') || user.clientSecret !== form.get('client_secret'))
      return user && user.clientId !== form.get('client_id')
        ? { status: 401, json: { error: 'invalid_client', error_description: 'The OAuth client was not found.' } }
        : invalidGrant(user ? 'Unauthorized' : 'Token has been expired or revoked.');
    return { status: 200, json: { access_token: issue(user.projects, user.principal), expires_in: 3599,
      scope: 'https://www.googleapis.com/auth/cloud-platform openid', token_type: 'Bearer', id_token: 'eyJ.id.token' } };
  };
  const grant = (body) => {
    state.tokenRequests++;
    const form = new URLSearchParams(body);
    if (form.get('grant_type') === 'refresh_token') return refreshGrant(form);
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
      return { status: 400, json: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: ' + form.get('grant_type') } };
    const parts = (form.get('assertion') ?? '').split('.');
    if (parts.length !== 3) return invalidGrant('Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.');
    let header, claims;
    try { header = JSON.parse(b64url(parts[0])); claims = JSON.parse(b64url(parts[1])); } catch { return invalidGrant('Invalid JWT.'); }
    const account = state.accounts.get(claims.iss);
    if (header.alg !== 'RS256' || !account) return invalidGrant('Invalid grant: account not found');
    if (header.kid !== undefined && header.kid !== account.kid) return invalidGrant('Invalid JWT Signature.');
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${parts[0]}.${parts[1]}`);
    if (!verifier.verify(account.publicKey, b64url(parts[2]))) return invalidGrant('Invalid JWT Signature.');
    const now = Date.now() / 1000;
    if (claims.aud !== (audience ?? tokenUri)) return invalidGrant('Invalid JWT: Failed audience check.');
    if (!String(claims.scope ?? '').split(' ').includes('https://www.googleapis.com/auth/cloud-platform'))
      return { status: 400, json: { error: 'invalid_scope', error_description: 'Invalid OAuth scope or ID token audience provided.' } };
    if (!(Math.abs(claims.iat - now) < 300 && claims.exp > now && claims.exp - claims.iat <= 3600))
      return invalidGrant('Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
    return { status: 200, json: { access_token: issue(account.projects, claims.iss), expires_in: 3599, token_type: 'Bearer' } };
  };

  // IAM Credentials: the caller must hold Token Creator on the first delegate, each delegate
  // on the next, and the last on the target.
  const generateAccessToken = (req, body, url) => {
    const m = url.pathname.match(/^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateAccessToken$/);
    if (!m || req.method !== 'POST') return googleError(404, 'NOT_FOUND', 'Not Found');
    const caller = state.tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!caller) return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    let input;
    try { input = JSON.parse(body); } catch { return googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.'); }
    if (!Array.isArray(input.scope) || input.scope.length === 0)
      return googleError(400, 'INVALID_ARGUMENT', 'Scope is required.');
    const target = decodeURIComponent(m[1]);
    const delegates = (input.delegates ?? []).map((d) => d.replace(/^projects\/-\/serviceAccounts\//, ''));
    let principal = caller.principal;
    for (const hop of [...delegates, target]) {
      const sa = state.impersonable.get(hop);
      if (!sa || !sa.tokenCreators.has(principal))
        return googleError(403, 'PERMISSION_DENIED', `Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).`);
      principal = hop;
    }
    const lifetime = Number(String(input.lifetime ?? '3600s').replace(/s$/, ''));
    if (!(lifetime > 0 && lifetime <= 3600)) return googleError(400, 'INVALID_ARGUMENT', 'lifetime must be at most 3600s');
    state.impersonations.push({ target, by: caller.principal, delegates });
    const expireTime = new Date(Date.now() + lifetime * 1000).toISOString();
    return { status: 200, json: { accessToken: issue(state.impersonable.get(target).projects, target), expireTime } };
  };

  const access = (req, url) => {
    // Matched as sent, as Google matches it — an encoded '/' or ':' is part of a name, not a
    // separator — then each segment decoded.
    const m = url.pathname.match(/^\/v1\/projects\/([^/]+)\/secrets\/([^/]+)\/versions\/([^/:]+):access$/);
    if (!m || req.method !== 'GET') return googleError(404, 'NOT_FOUND', 'Not Found');
    const token = state.tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!token) return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.');
    state.quotaProjects.push(req.headers['x-goog-user-project'] ?? '');
    state.readers.push(token.principal);
    const [project, secret, version] = m.slice(1).map(decodeURIComponent);
    const resource = `projects/${project}/secrets/${secret}/versions/${version}`;
    if (!token.projects.has(project))
      return googleError(403, 'PERMISSION_DENIED', `Permission 'secretmanager.versions.access' denied for resource '${resource}' (or it may not exist).`);
    const versions = state.secrets.get(`${project}/${secret}`);
    if (!versions) return googleError(404, 'NOT_FOUND', `Secret [projects/123456789/secrets/${secret}] not found or has no versions.`);
    const n = version === 'latest' ? versions.length : Number(version);
    const v = versions[n - 1];
    if (!v) return googleError(404, 'NOT_FOUND', `Secret Version [projects/123456789/secrets/${secret}/versions/${version}] not found.`);
    if (v.state !== 'ENABLED')
      return googleError(400, 'FAILED_PRECONDITION', `Secret Version [projects/123456789/secrets/${secret}/versions/${n}] is in DISABLED state.`);
    const crc = crc32c(v.data) ^ (state.corruptCrc ? 1 : 0);
    return { status: 200, json: { name: `projects/123456789/secrets/${secret}/versions/${n}`,
      payload: { data: v.data.toString('base64'), dataCrc32c: String(crc >>> 0) } } };
  };

  const api = await startServer({ tls, latencyMs, route: async (req, body, url) => {
    if (url.pathname === '/token' && req.method === 'POST') return grant(body);
    if (url.pathname.endsWith(':generateAccessToken')) return generateAccessToken(req, body, url);
    return access(req, url);
  } });
  tokenUri = `${api.url}/token`;

  const flavor = { 'metadata-flavor': 'Google' };
  const metadata = await startServer({ route: async (req, body, url) => {
    state.metadataRequests++;
    if (req.headers['metadata-flavor'] !== 'Google')
      return { status: 403, text: 'Missing required header: Metadata-Flavor', headers: flavor };
    if (url.pathname === '/computeMetadata/v1/instance/service-accounts/default/token')
      return { status: 200, json: { access_token: issue(state.metadata.projects, 'default@proj-1.iam.gserviceaccount.com'), expires_in: 3599, token_type: 'Bearer' }, headers: flavor };
    if (url.pathname === '/computeMetadata/v1/project/project-id')
      return { status: 200, text: state.metadata.project, headers: flavor };
    return { status: 404, text: 'not found', headers: flavor };
  } });

  return {
    state, put, serviceAccount, authorizedUser, impersonable, stats: api.stats, faults: api.faults, url: api.url, tokenUri,
    metadataHost: metadata.url.replace(/^http:\/\//, ''),
    dropIdle() { api.dropIdle(); },
    close: () => Promise.all([api.close(), metadata.close()]),
  };
}
