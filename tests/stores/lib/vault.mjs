// A HashiCorp Vault double: KV v2 reads and AppRole/Kubernetes logins, answered with Vault's
// JSON and error shapes, checking what Vault checks — the X-Vault-Token, the namespace the
// token lives in, the token's policy, the login credentials.
import { randomBytes } from 'node:crypto';
import { startServer } from './server.mjs';

export async function startVault({ tls, latencyMs = 0 } = {}) {
  const state = {
    tokens: new Map(),  // token → { ns, paths: [prefix] }
    kv: new Map(),      // `${ns}|${mount}/${path}` → [versions]; null marks a deleted version
    mounts: new Set(['secret']),
    approle: { mount: 'approle', roleId: 'role-id-1', secretId: 'secret-id-1', paths: ['*'] },
    kubernetes: { mount: 'kubernetes', role: 'mcp', jwt: 'eyJ.k8s.jwt', paths: ['*'] },
    logins: 0,
    reads: 0,
    sealed: false,
    loginTtlSeconds: 2764800,  // what a login's token lives; Vault refuses it after that
  };
  const issue = (ns, paths, ttlSeconds) => {
    const token = 'hvs.' + randomBytes(12).toString('hex');
    state.tokens.set(token, { ns, paths, expires: ttlSeconds ? Date.now() + ttlSeconds * 1000 : Infinity });
    return token;
  };
  const denied = { status: 403, json: { errors: ['permission denied'] } };

  const route = async (req, body, url) => {
    if (state.sealed) return { status: 503, json: { errors: ['Vault is sealed'] } };
    const ns = (req.headers['x-vault-namespace'] ?? '').replace(/^\/+|\/+$/g, '');
    const m = url.pathname.match(/^\/v1\/auth\/(.+)\/login$/);
    if (m && req.method === 'POST') {
      let input;
      try { input = JSON.parse(body); } catch { return { status: 400, json: { errors: ['failed to parse JSON input'] } }; }
      const mount = decodeURIComponent(m[1]);
      let ok = false;
      let paths = [];
      if (mount === state.approle.mount) {
        ok = input.role_id === state.approle.roleId && input.secret_id === state.approle.secretId;
        paths = state.approle.paths;
        if (!ok) return { status: 400, json: { errors: ['invalid role or secret ID'] } };
      } else if (mount === state.kubernetes.mount) {
        ok = input.role === state.kubernetes.role && input.jwt === state.kubernetes.jwt;
        paths = state.kubernetes.paths;
        if (!ok) return denied;
      } else {
        return { status: 400, json: { errors: [`no handler for route "auth/${mount}/login". route entry not found.`] } };
      }
      state.logins++;
      return { status: 200, json: { request_id: 'r', lease_id: '', renewable: false, lease_duration: 0,
        data: null, wrap_info: null, warnings: null,
        auth: { client_token: issue(ns, paths, state.loginTtlSeconds), accessor: 'acc', policies: ['default'],
                token_policies: ['default'], metadata: {}, lease_duration: state.loginTtlSeconds,
                renewable: true, entity_id: '', token_type: 'service', orphan: true } } };
    }
    const r = url.pathname.match(/^\/v1\/([^/]+)\/data\/(.+)$/);
    if (r && req.method === 'GET') {
      state.reads++;
      const token = state.tokens.get(req.headers['x-vault-token'] ?? '');
      if (!token || token.ns !== ns || token.expires < Date.now()) return denied;
      const [mount, path] = [decodeURIComponent(r[1]), decodeURIComponent(r[2])];
      if (!token.paths.some((p) => p === '*' || path.startsWith(p))) return denied;
      if (!state.mounts.has(mount))
        return { status: 404, json: { errors: [`no handler for route "${mount}/data/${path}". route entry not found.`] } };
      const versions = state.kv.get(`${ns}|${mount}/${path}`);
      const want = url.searchParams.get('version');
      const v = want ? Number(want) : versions?.length;
      const data = versions?.[v - 1];
      if (!versions || !v || data === undefined) return { status: 404, json: { errors: [] } };
      const metadata = { created_time: '2026-11-01T00:00:00Z', custom_metadata: null,
                         deletion_time: data === null ? '2026-11-02T00:00:00Z' : '',
                         destroyed: false, version: v };
      if (data === null) return { status: 404, json: { data: { data: null, metadata } } };
      return { status: 200, json: { request_id: 'r', lease_id: '', renewable: false,
        lease_duration: 0, data: { data, metadata }, wrap_info: null, warnings: null, auth: null,
        mount_type: 'kv' } };
    }
    return { status: 404, json: { errors: [] } };
  };
  const server = await startServer({ tls, route, latencyMs });
  return {
    ...server,
    state,
    /** A token for namespace `ns` allowed to read paths starting with one of `paths`. */
    token(paths = ['*'], ns = '') { return issue(ns, paths); },
    /** Writes a new version of `path`; `data` null deletes that version. */
    put(path, data, { mount = 'secret', ns = '' } = {}) {
      const key = `${ns}|${mount}/${path}`;
      if (!state.kv.has(key)) state.kv.set(key, []);
      state.kv.get(key).push(data);
    },
  };
}
