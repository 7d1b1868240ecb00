// An Infisical double: universal-auth login, single reads and folder lists of the v3 raw
// secrets API, with Infisical's JSON and error shapes ({reqId, statusCode, message, error}),
// checking the bearer token and the project it may read. A folder may import another: its
// list answer carries the imported secrets apart, under `imports`, and a single read finds
// an imported key, as Infisical's do.
import { randomBytes } from 'node:crypto';
import { startServer } from './server.mjs';

const failure = (statusCode, error, message) =>
  ({ status: statusCode, json: { reqId: 'req-' + randomBytes(4).toString('hex'), statusCode, message, error } });

export async function startInfisical({ tls, latencyMs = 0 } = {}) {
  const state = {
    tokens: new Map(),   // access token → project it may read
    identity: { clientId: 'client-id-1', clientSecret: 'client-secret-1', projectId: 'proj-1' },
    secrets: new Map(),  // `${project}|${env}|${path}|${key}` → [values of versions]
    logins: 0,
    imports: [],         // { project, env, into, from }: folder `into` imports folder `from`
  };
  const issue = (projectId) => {
    const token = 'st.' + randomBytes(16).toString('hex');
    state.tokens.set(token, projectId);
    return token;
  };
  const secretJson = (project, env, path, key, value, version) => ({
    id: 'id-' + key, _id: 'id-' + key, workspace: project, environment: env, version,
    type: 'shared', secretKey: key, secretValue: value, secretComment: '', secretPath: path,
    secretReminderNote: null, secretReminderRepeatDays: null, skipMultilineEncoding: false,
    createdAt: '2026-11-01T00:00:00.000Z', updatedAt: '2026-11-01T00:00:00.000Z', tags: [],
  });

  const route = async (req, body, url) => {
    if (url.pathname === '/api/v1/auth/universal-auth/login' && req.method === 'POST') {
      let input = {};
      try { input = JSON.parse(body); } catch { /* an empty object fails below */ }
      if (input.clientId !== state.identity.clientId || input.clientSecret !== state.identity.clientSecret)
        return failure(401, 'Unauthorized', 'Invalid credentials');
      state.logins++;
      return { status: 200, json: { accessToken: issue(state.identity.projectId), expiresIn: 7200,
                                    accessTokenMaxTTL: 43244, tokenType: 'Bearer' } };
    }
    if (!url.pathname.startsWith('/api/v3/secrets/raw')) return failure(404, 'NotFound', 'Route not found');
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ')) return failure(401, 'Unauthorized', 'Token missing');
    const allowed = state.tokens.get(auth.slice(7));
    if (!allowed) return failure(401, 'UnauthorizedError', 'Invalid token');
    const q = url.searchParams;
    const project = q.get('workspaceId');
    const env = q.get('environment');
    const path = q.get('secretPath') ?? '/';
    if (!project || !env) return failure(400, 'Bad Request', 'workspaceId and environment are required');
    if (project !== allowed)
      return failure(403, 'PermissionDenied', 'You are not allowed to read on secrets');
    const folder = (from) => {
      const secrets = [];
      for (const [k, versions] of state.secrets) {
        const [p, e, sp, key] = k.split('|');
        if (p === project && e === env && sp === from)
          secrets.push(secretJson(p, e, sp, key, versions.at(-1), versions.length));
      }
      return secrets;
    };
    const imported = state.imports.filter((i) => i.project === project && i.env === env && i.into === path);
    if (url.pathname === '/api/v3/secrets/raw') {
      return { status: 200, json: { secrets: folder(path), imports: imported.map((i) => ({
        secretPath: i.from, environment: env, folderId: 'folder-' + i.from, secrets: folder(i.from) })) } };
    }
    const name = decodeURIComponent(url.pathname.slice('/api/v3/secrets/raw/'.length));
    let versions = state.secrets.get(`${project}|${env}|${path}|${name}`);
    for (const i of imported) versions ??= state.secrets.get(`${project}|${env}|${i.from}|${name}`);
    const v = q.get('version') ? Number(q.get('version')) : versions?.length;
    if (!versions || !(v >= 1 && v <= versions.length))
      return failure(404, 'NotFound', `Secret with name '${name}' not found`);
    return { status: 200, json: { secret: secretJson(project, env, path, name, versions[v - 1], v) } };
  };
  const server = await startServer({ tls, route, latencyMs });
  return {
    ...server,
    state,
    /** A service access token for `projectId`. */
    token(projectId = state.identity.projectId) { return issue(projectId); },
    /** Folder `into` imports the secrets of folder `from`. */
    importFolder(from, { into = '/', project = state.identity.projectId, env = 'prod' } = {}) {
      state.imports.push({ project, env, into, from });
    },
    put(key, value, { project = state.identity.projectId, env = 'prod', path = '/' } = {}) {
      const k = `${project}|${env}|${path}|${key}`;
      if (!state.secrets.has(k)) state.secrets.set(k, []);
      state.secrets.get(k).push(value);
    },
  };
}
