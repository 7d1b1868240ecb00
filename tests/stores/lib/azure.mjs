// Azure doubles: Key Vault's secrets API (api-version required, the bearer token and its
// audience checked on every read with Key Vault's 401 challenge, access policy by secret),
// Microsoft Entra ID's token endpoint (tenant, client, client secret, federated assertion or
// certificate assertion — its signature, thumbprint, audience, subject, lifetime and jti
// checked — scope, with AADSTS error codes), and the managed identity endpoints (IMDS with
// `Metadata: true`; App Service's IDENTITY_ENDPOINT with X-IDENTITY-HEADER).
import { X509Certificate, createHash, randomBytes, verify as verifySignature, constants } from 'node:crypto';
import { startServer } from './server.mjs';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const RESOURCE = 'https://vault.azure.net';
// Key Vault in each cloud: the vault's host suffix and the audience its tokens must have.
const CLOUDS = [['.vault.azure.cn', 'https://vault.azure.cn'], ['.vault.usgovcloudapi.net', 'https://vault.usgovcloudapi.net'],
  ['.vault.microsoftazure.de', 'https://vault.microsoftazure.de']];
const audienceFor = (host) => CLOUDS.find(([suffix]) => (host ?? '').split(':')[0].endsWith(suffix))?.[1] ?? RESOURCE;
const aad = (status, error, description, codes) => ({ status, json: { error,
  error_description: `${description}\r\nTrace ID: 0000\r\nCorrelation ID: 0000\r\nTimestamp: 2026-11-29 12:00:00Z`,
  error_codes: codes, timestamp: '2026-11-29 12:00:00Z', trace_id: '0000', correlation_id: '0000' } });
const kvError = (status, code, message, headers) => ({ status, json: { error: { code, message } }, headers });

export async function startAzure({ tls, latencyMs = 0 } = {}) {
  const state = {
    tenant: TENANT,
    clients: new Map([['app-client-id', { secret: 'app-client-secret~0001' }]]),
    federated: { clientId: 'wi-client-id', token: 'eyJhbGciOiJSUzI1NiJ9.aks-service-account.sig' },
    identityHeader: 'app-service-identity-header-0001',
    // The user-assigned identities the VM or app has, by client ID; `client_id` absent means
    // the system-assigned one.
    userAssigned: new Set(['mi-user-client-id']),
    lastIdentity: null,  // the client_id the last managed identity request named
    tokens: new Map(),   // access token → { aud }
    secrets: new Map(),  // name → [{ version, value }]
    denied: new Set(),
    tokenRequests: 0,
    certificates: new Map(),  // client ID → { publicKey, s256, s1 } (its registered certificate's)
    jtis: new Set(),          // assertion IDs seen: a replayed assertion is refused
    assertions: [],           // the header of every certificate assertion accepted
  };
  /** Registers `pem` (an X.509 certificate) as the credential of app `clientId`. */
  const registerCertificate = (clientId, pem) => {
    const x509 = new X509Certificate(pem);
    const thumb = (alg) => createHash(alg).update(x509.raw).digest('base64url');
    state.certificates.set(clientId, { publicKey: x509.publicKey, s256: thumb('sha256'), s1: thumb('sha1') });
  };

  // A certificate credential's client assertion, checked as Entra ID checks it.
  const certificateAssertion = (id, assertion, endpoint) => {
    const bad = (code, text) => aad(401, 'invalid_client', `AADSTS${code}: ${text}`, [code]);
    const cert = state.certificates.get(id);
    const parts = (assertion ?? '').split('.');
    let header, claims;
    try { header = JSON.parse(Buffer.from(parts[0], 'base64url')); claims = JSON.parse(Buffer.from(parts[1], 'base64url')); } catch {
      return bad(700025, 'Client is public so neither \'client_assertion\' nor \'client_secret\' should be presented.');
    }
    const pss = header.alg === 'PS256' && header['x5t#S256'] === cert.s256;
    const pkcs1 = header.alg === 'RS256' && header.x5t === cert.s1;
    if (!pss && !pkcs1)
      return bad(700027, `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${header['x5t#S256'] ?? header.x5t}']`);
    const signed = verifySignature('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), pss
      ? { key: cert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
      : cert.publicKey, Buffer.from(parts[2] ?? '', 'base64url'));
    if (!signed) return bad(700027, 'Client assertion contains an invalid signature.');
    if (claims.aud !== endpoint) return bad(700021, `Client assertion audience claim does not match Realm issuer. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`);
    if (claims.iss !== id || claims.sub !== id) return bad(700023, 'Client assertion issuer and subject must be the client.');
    const now = Date.now() / 1000;
    if (!(claims.exp > now && (claims.nbf ?? claims.iat ?? 0) <= now + 300 && claims.exp - now <= 3600))
      return bad(700024, 'Client assertion is not within its valid time range.');
    if (!claims.jti || state.jtis.has(claims.jti)) return bad(700025, 'Client assertion has been used before.');
    state.jtis.add(claims.jti);
    state.assertions.push(header);
    return null;
  };
  const issue = (aud) => {
    const token = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.' + randomBytes(24).toString('base64url');
    state.tokens.set(token, { aud });
    return token;
  };
  const put = (name, value) => {
    const versions = state.secrets.get(name) ?? [];
    const version = randomBytes(16).toString('hex');
    versions.push({ version, value });
    state.secrets.set(name, versions);
    return version;
  };

  let vaultUrl;
  const token = (tenant, body, host) => {
    state.tokenRequests++;
    const form = new URLSearchParams(body);
    if (tenant !== state.tenant)
      return aad(400, 'invalid_request', `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`, [90002]);
    if (form.get('grant_type') !== 'client_credentials')
      return aad(400, 'unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.', [70003]);
    const scope = form.get('scope') ?? '';
    const audience = scope.replace(/\/\.default$/, '');
    if (!scope.endsWith('/.default') || ![RESOURCE, ...CLOUDS.map(([, a]) => a)].includes(audience))
      return aad(400, 'invalid_scope', `AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`, [70011]);
    state.lastScope = scope;
    const id = form.get('client_id');
    if (form.has('client_assertion') && state.certificates.has(id)) {
      if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
        return aad(400, 'invalid_request', 'AADSTS50027: Invalid client_assertion_type.', [50027]);
      const refused = certificateAssertion(id, form.get('client_assertion'), `https://${host}/${tenant}/oauth2/v2.0/token`);
      if (refused) return refused;
    } else if (form.has('client_assertion')) {
      if (id !== state.federated.clientId || form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' ||
          form.get('client_assertion') !== state.federated.token)
        return aad(400, 'invalid_client', 'AADSTS70021: No matching federated identity record found for presented assertion.', [70021]);
    } else {
      const client = state.clients.get(id);
      if (!client) return aad(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${id}' was not found in the directory.`, [700016]);
      if (form.get('client_secret') !== client.secret)
        return aad(401, 'invalid_client', `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${id}'.`, [7000215]);
    }
    return { status: 200, json: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: issue(audience) } };
  };

  const challenge = () => ({ 'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/${state.tenant}", resource="${RESOURCE}"` });
  const secret = (req, url) => {
    // "/secrets/NAME/" (an empty version, as the Azure SDK asks) is the latest, as on Key Vault.
    const m = url.pathname.match(/^\/secrets\/([0-9A-Za-z-]+)(?:\/([0-9A-Za-z]*))?$/);
    if (!m || req.method !== 'GET') return kvError(404, 'NotFound', 'Not found');
    // Key Vault answers only the versions it has: 7.N and dated ones (the SDKs move to newer
    // ones than any list here could hold); anything else is refused as Key Vault does.
    const apiVersion = url.searchParams.get('api-version');
    if (!apiVersion)
      return kvError(400, 'BadParameter', "The 'api-version' query parameter is missing.");
    if (!/^(7\.\d|\d{4}-\d{2}-\d{2})(-preview)?$/.test(apiVersion))
      return kvError(400, 'BadParameter', `The specified version (${apiVersion}) is not recognized. Consider using the latest supported version (7.5).`);
    const t = state.tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!t) return kvError(401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.', challenge());
    // A vault takes tokens for its own cloud's audience only.
    const expected = audienceFor(req.headers.host);
    if (t.aud !== expected) return kvError(401, 'Unauthorized', `AKV10022: Invalid audience. Expected ${expected}, found: ${t.aud}.`, challenge());
    const [, name, version] = m;
    if (state.denied.has(name))
      return kvError(403, 'Forbidden', "The user, group or application does not have secrets get permission on key vault 'mcp-vault;location=westeurope'.");
    const versions = state.secrets.get(name);
    const v = versions && (version ? versions.find((x) => x.version === version) : versions.at(-1));
    if (!v) return kvError(404, 'SecretNotFound', `A secret with (name/id) ${name}${version ? '/' + version : ''} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command.`);
    return { status: 200, json: { value: v.value, id: `${vaultUrl}/secrets/${name}/${v.version}`,
      attributes: { enabled: true, created: 1764400000, updated: 1764400000, recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90 }, tags: {} } };
  };

  const api = await startServer({ tls, latencyMs, route: async (req, body, url) => {
    const t = url.pathname.match(/^\/([^/]+)\/oauth2\/v2\.0\/token$/);
    if (t && req.method === 'POST') return token(decodeURIComponent(t[1]), body, req.headers.host);
    // MSAL reads the authority's OpenID configuration before asking for a token.
    const oidc = url.pathname.match(/^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/);
    if (oidc) {
      const base = `https://${req.headers.host}/${oidc[1]}`;
      return { status: 200, json: { token_endpoint: `${base}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`, issuer: `${base}/v2.0`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`, jwks_uri: `${base}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'] } };
    }
    return secret(req, url);
  } });
  vaultUrl = api.url;

  // Managed identity answers are all strings, as IMDS sends them.
  const managed = () => ({ status: 200, json: { access_token: issue(RESOURCE), client_id: 'mi-client-id',
    expires_in: '86399', expires_on: '1764486400', ext_expires_in: '86399', not_before: '1764400000',
    resource: RESOURCE, token_type: 'Bearer' } });
  // A user-assigned identity is named by client_id; one the machine does not have is refused.
  const unknownIdentity = (url) => {
    const id = url.searchParams.get('client_id');
    state.lastIdentity = id;
    return id !== null && !state.userAssigned.has(id);
  };
  const identity = await startServer({ route: async (req, body, url) => {
    state.tokenRequests++;
    if (url.pathname === '/metadata/identity/oauth2/token') {
      if (req.headers.metadata !== 'true')
        return { status: 400, json: { error: 'invalid_request', error_description: 'Required metadata header not specified' } };
      if (url.searchParams.get('api-version') !== '2018-02-01' || url.searchParams.get('resource') !== RESOURCE)
        return { status: 400, json: { error: 'invalid_request', error_description: 'Invalid resource or api-version' } };
      if (state.noIdentity || unknownIdentity(url)) return { status: 400, json: { error: 'invalid_request', error_description: 'Identity not found' } };
      return managed();
    }
    if (url.pathname === '/msi/token') {
      if (req.headers['x-identity-header'] !== state.identityHeader)
        return { status: 401, json: { statusCode: 401, message: 'Unauthorized request, X-IDENTITY-HEADER did not match' } };
      if (url.searchParams.get('api-version') !== '2019-08-01' || url.searchParams.get('resource') !== RESOURCE)
        return { status: 400, json: { statusCode: 400, message: 'Invalid resource or api-version' } };
      if (unknownIdentity(url)) return { status: 400, json: { statusCode: 400, message: 'Unable to load the proper Managed Identity.' } };
      return managed();
    }
    return { status: 404, text: 'not found' };
  } });

  return {
    state, put, registerCertificate, issueToken: issue, stats: api.stats, faults: api.faults, url: api.url, port: api.port, authorityHost: api.url,
    imdsUrl: identity.url, identityEndpoint: `${identity.url}/msi/token`,
    dropIdle() { api.dropIdle(); },
    close: () => Promise.all([api.close(), identity.close()]),
  };
}
