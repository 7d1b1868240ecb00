// GCP doubles: Secret Manager's REST API (bearer tokens checked on every read, IAM by
// project, payloads with their CRC32C), Google's OAuth token endpoint (the JWT bearer grant:
// RS256 signature against the service account's public key, iss, aud, scope, iat/exp), and
// the metadata server (Metadata-Flavor: Google both ways) — in Google's JSON and error shapes.
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
    tokens: new Map(),     // access token → { projects: Set }
    secrets: new Map(),    // `${project}/${secret}` → [{ data: Buffer, state }]
    corruptCrc: false,
    revokeTokens: false,   // tokens are issued but revoked at once: reads get 401
    tokenRequests: 0, metadataRequests: 0,
    metadata: { projects: new Set(['proj-1']), project: 'proj-1' },
  };
  const issue = (projects) => {
    const token = 'ya29.' + randomBytes(24).toString('base64url');
    if (!state.revokeTokens) state.tokens.set(token, { projects });
    return token;
  };

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
  const grant = (body) => {
    state.tokenRequests++;
    const form = new URLSearchParams(body);
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
    return { status: 200, json: { access_token: issue(account.projects), expires_in: 3599, token_type: 'Bearer' } };
  };

  const access = (req, url) => {
    // Matched as sent, as Google matches it — an encoded '/' or ':' is part of a name, not a
    // separator — then each segment decoded.
    const m = url.pathname.match(/^\/v1\/projects\/([^/]+)\/secrets\/([^/]+)\/versions\/([^/:]+):access$/);
    if (!m || req.method !== 'GET') return googleError(404, 'NOT_FOUND', 'Not Found');
    const token = state.tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!token) return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.');
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

  const api = await startServer({ tls, latencyMs, route: async (req, body, url) =>
    (url.pathname === '/token' && req.method === 'POST' ? grant(body) : access(req, url)) });
  tokenUri = `${api.url}/token`;

  const flavor = { 'metadata-flavor': 'Google' };
  const metadata = await startServer({ route: async (req, body, url) => {
    state.metadataRequests++;
    if (req.headers['metadata-flavor'] !== 'Google')
      return { status: 403, text: 'Missing required header: Metadata-Flavor', headers: flavor };
    if (url.pathname === '/computeMetadata/v1/instance/service-accounts/default/token')
      return { status: 200, json: { access_token: issue(state.metadata.projects), expires_in: 3599, token_type: 'Bearer' }, headers: flavor };
    if (url.pathname === '/computeMetadata/v1/project/project-id')
      return { status: 200, text: state.metadata.project, headers: flavor };
    return { status: 404, text: 'not found', headers: flavor };
  } });

  return {
    state, put, serviceAccount, stats: api.stats, faults: api.faults, url: api.url, tokenUri,
    metadataHost: metadata.url.replace(/^http:\/\//, ''),
    dropIdle() { api.dropIdle(); },
    close: () => Promise.all([api.close(), metadata.close()]),
  };
}
