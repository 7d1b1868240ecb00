// An OAuth 2.1 authorization server double for the bridge's client-credentials flow. It checks
// what a real one checks: the client authentication method is one it advertised and the
// credentials are right (secret by Basic or by post; a private_key_jwt assertion's signature,
// iss, sub, aud = issuer, exp, and a jti never seen before), the grant type, the RFC 8707
// `resource`, and the scopes. Tokens it issues live `tokenLifetime` seconds; `verify` is what
// the resource server asks.
import { createServer } from 'node:https';
import { createPublicKey, randomBytes, verify as verifySignature } from 'node:crypto';

export async function startAuthServer({ tls, methods, clients, resource, scopes = ['mcp:tools'],
  tokenLifetime = 3600, path = '/tenant' }) {
  const stats = { tokenRequests: 0, issued: 0, methods: [], resources: [], scopes: [], grants: [], errors: [] };
  const tokens = new Map();  // token → expiry (ms)
  const seenJti = new Set();
  let issuer;

  const deny = (res, status, error, description) => {
    stats.errors.push(error);
    res.writeHead(status, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error, error_description: description }));
  };

  function checkAssertion(form, clientId) {
    const parts = (form.get('client_assertion') ?? '').split('.');
    if (parts.length !== 3) return 'not a JWT';
    const header = JSON.parse(Buffer.from(parts[0], 'base64url'));
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url'));
    const key = createPublicKey(clients[clientId].publicKey);
    const wanted = key.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256';
    if (header.alg !== wanted) return `alg ${header.alg}, the key signs ${wanted}`;
    const ok = verifySignature('sha256', Buffer.from(`${parts[0]}.${parts[1]}`),
      { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(parts[2], 'base64url'));
    if (!ok) return 'bad signature';
    if (claims.iss !== clientId || claims.sub !== clientId) return 'iss or sub is not the client';
    if (claims.aud !== issuer && claims.aud !== `${issuer}/`) return `aud ${claims.aud} is not the issuer`;
    const now = Date.now() / 1000;
    if (!(claims.exp > now) || claims.exp - now > 600) return 'exp out of range';
    if (seenJti.has(claims.jti) || !claims.jti) return 'jti reused or missing';
    seenJti.add(claims.jti);
    return null;
  }

  async function token(req, res) {
    stats.tokenRequests++;
    let body = '';
    for await (const chunk of req) body += chunk;
    if (!/^application\/x-www-form-urlencoded/.test(req.headers['content-type'] ?? ''))
      return deny(res, 400, 'invalid_request', 'form body expected');
    const form = new URLSearchParams(body);
    let method;
    let clientId;
    if (req.headers.authorization?.startsWith('Basic ')) {
      method = 'client_secret_basic';
      const [id, secret] = Buffer.from(req.headers.authorization.slice(6), 'base64').toString()
        .split(':').map(decodeURIComponent);
      clientId = id;
      if (clients[id]?.secret !== secret) return deny(res, 401, 'invalid_client', 'bad client secret');
    } else if (form.has('client_assertion')) {
      method = 'private_key_jwt';
      clientId = form.get('client_id');
      if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
        return deny(res, 401, 'invalid_client', 'bad client_assertion_type');
      if (!clients[clientId]?.publicKey) return deny(res, 401, 'invalid_client', 'unknown client');
      const why = checkAssertion(form, clientId);
      if (why) return deny(res, 401, 'invalid_client', why);
    } else if (form.has('client_secret')) {
      method = 'client_secret_post';
      clientId = form.get('client_id');
      if (clients[clientId]?.secret !== form.get('client_secret'))
        return deny(res, 401, 'invalid_client', 'bad client secret');
    } else {
      return deny(res, 401, 'invalid_client', 'no client authentication');
    }
    stats.methods.push(method);
    if (!methods.includes(method)) return deny(res, 401, 'invalid_client', `${method} is not accepted`);
    stats.grants.push(form.get('grant_type'));
    if (form.get('grant_type') !== 'client_credentials')
      return deny(res, 400, 'unsupported_grant_type', 'client_credentials only');
    stats.resources.push(form.get('resource'));
    if (form.get('resource') !== resource()) return deny(res, 400, 'invalid_target', 'unknown resource');
    const asked = (form.get('scope') ?? '').split(' ').filter(Boolean);
    stats.scopes.push(asked.join(' '));
    if (asked.some((s) => !scopes.includes(s))) return deny(res, 400, 'invalid_scope', 'unknown scope');
    const value = `at-${randomBytes(16).toString('hex')}`;
    tokens.set(value, Date.now() + tokenLifetime * 1000);
    stats.issued++;
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify({ access_token: value, token_type: 'Bearer', expires_in: tokenLifetime,
        scope: asked.join(' ') }));
  }

  const server = createServer({ key: tls.localhost.key, cert: tls.localhost.cert }, (req, res) => {
    const url = new URL(req.url, 'https://localhost');
    if (req.method === 'GET' && url.pathname === `/.well-known/oauth-authorization-server${path}`) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        issuer, token_endpoint: `${issuer}/token`, grant_types_supported: ['client_credentials'],
        token_endpoint_auth_methods_supported: methods,
        token_endpoint_auth_signing_alg_values_supported: ['ES256', 'RS256'],
        scopes_supported: scopes,
      }));
      return;
    }
    if (req.method === 'POST' && url.pathname === `${path}/token`) { token(req, res); return; }
    res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  issuer = `https://localhost:${server.address().port}${path}`;
  return {
    issuer,
    stats,
    /** True for a token this server issued that has not expired or been revoked. */
    verify(value) { return (tokens.get(value) ?? 0) > Date.now(); },
    revokeAll() { tokens.clear(); },
    async close() { server.closeAllConnections?.(); await new Promise((r) => server.close(r)); },
  };
}
