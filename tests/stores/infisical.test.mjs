// The built launcher against an Infisical double over HTTPS on loopback: access tokens,
// universal auth, versions, folders, one list request for many keys, and every error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeCertificates } from './lib/tls.mjs';
import { startInfisical } from './lib/infisical.mjs';
import { launch, childEnv, readJson } from './lib/launch.mjs';

let certs;
let inf;
before(async () => {
  certs = makeCertificates();
  inf = await startInfisical({ tls: certs.localhost });
  inf.put('GITHUB_TOKEN', 'ghp_infisical0001');
  inf.put('API_KEY', 'api-key-v1-0002');
  inf.put('API_KEY', 'api-key-v2-0003');
  inf.put('DB_JSON', JSON.stringify({ user: 'app', password: 'pw-inf-0004' }));
  inf.put('NESTED', 'in-folder-0005', { path: '/mcp/github' });
  inf.put('OTHER_ENV', 'dev-only-0006', { env: 'dev' });
});
after(async () => { await inf.close(); certs.remove(); });

const store = (configuration, mappings = []) => ({
  secretStores: [{ name: 'inf', type: 'infisical', mappings,
                   configuration: { siteUrl: inf.url, caFile: certs.caFile, projectId: 'proj-1',
                                    environment: 'prod', ...configuration } }],
});

test('an access token reads keys, a version, a JSON field, and a key in another folder', async () => {
  const token = inf.token();
  const r = await launch(['read', '--json', '{{ secrets.inf.[GITHUB_TOKEN] }}',
    '{{ secrets.inf.[API_KEY?version=1] }}', '{{ secrets.inf.[DB_JSON#password] }}',
    '{{ secrets.inf.[/mcp/github/NESTED] }}', '{{ secrets.inf.key }}'],
  { config: store({ accessToken: token }, [{ name: 'key', secretIdentifier: 'API_KEY' }]) });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readJson(r.stdout), {
    '{{ secrets.inf.[GITHUB_TOKEN] }}': 'ghp_infisical0001',
    '{{ secrets.inf.[API_KEY?version=1] }}': 'api-key-v1-0002',
    '{{ secrets.inf.[DB_JSON#password] }}': 'pw-inf-0004',
    '{{ secrets.inf.[/mcp/github/NESTED] }}': 'in-folder-0005',
    '{{ secrets.inf.key }}': 'api-key-v2-0003',
  });
  for (const s of inf.stats.seen) {
    assert.ok(!s.query.includes(token), 'the token never goes in a URL');
    if (s.path.startsWith('/api/v3')) assert.equal(s.headers.authorization, `Bearer ${token}`);
  }
});

test('keys of one folder come from one list request', async () => {
  const token = inf.token();
  const mine = () => inf.stats.seen.filter((s) => s.headers.authorization === `Bearer ${token}`);
  const r = await launch(['read', '{{ secrets.inf.[GITHUB_TOKEN] }}', '{{ secrets.inf.[API_KEY] }}',
    '{{ secrets.inf.[DB_JSON#user] }}'], { config: store({ accessToken: token }) });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'ghp_infisical0001\napi-key-v2-0003\napp\n');
  assert.deepEqual(mine().map((s) => s.path), ['/api/v3/secrets/raw']);
  // A key the list lacks falls back to a single read, whose 404 names it.
  const missing = await launch(['read', '{{ secrets.inf.[GITHUB_TOKEN] }}', '{{ secrets.inf.[NOPE] }}'],
    { config: store({ accessToken: token }) });
  assert.equal(missing.code, 78);
  assert.match(missing.stderr, /secrets.inf.\[NOPE\] }}: store 'inf': HTTP 404: Secret with name 'NOPE' not found/);
  assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
});

test('a key that comes through an import, which the list gives apart, is read on its own', async () => {
  inf.put('SHARED_KEY', 'shared-0006', { path: '/shared' });
  inf.importFolder('/shared');
  const token = inf.token();
  const mine = () => inf.stats.seen.filter((s) => s.headers.authorization === `Bearer ${token}`);
  const r = await launch(['read', '{{ secrets.inf.[GITHUB_TOKEN] }}', '{{ secrets.inf.[SHARED_KEY] }}'],
    { config: store({ accessToken: token }) });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'ghp_infisical0001\nshared-0006\n');
  assert.deepEqual(mine().map((s) => s.path), ['/api/v3/secrets/raw', '/api/v3/secrets/raw/SHARED_KEY']);
});

test('universal auth: one login per launch; the client secret from the environment is consumed', async () => {
  const before = inf.state.logins;
  const r = await launch(['--', 'env', '-0'], {
    config: store({}),
    env: { INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: 'client-id-1',
           INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: 'client-secret-1',
           A: '{{ secrets.inf.[GITHUB_TOKEN] }}', B: '{{ secrets.inf.[API_KEY?version=1] }}',
           C: '{{ secrets.inf.[/mcp/github/NESTED] }}', D: '{{ secrets.inf.[API_KEY] }}' } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(inf.state.logins - before, 1);
  const env = childEnv(r.stdout);
  assert.equal(env.A, 'ghp_infisical0001');
  assert.equal(env.C, 'in-folder-0005');
  assert.equal(env.INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET, undefined);
  assert.equal(env.INFISICAL_UNIVERSAL_AUTH_CLIENT_ID, 'client-id-1', 'an ID is not a credential');
  const check = await launch(['check', '--', 'true'], { config: store({}), env: { INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: 'client-id-1',
    INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: 'client-secret-1', A: '{{ secrets.inf.[GITHUB_TOKEN] }}' } });
  assert.match(check.stdout, /^store inf: credentials from a universal-auth login$/m);

  const configured = await launch(['read', '{{ secrets.inf.[GITHUB_TOKEN] }}'], {
    config: store({ clientId: 'client-id-1', clientSecret: '{{ env.INF_SECRET }}' }),
    env: { INF_SECRET: 'client-secret-1' } });
  assert.equal(configured.stdout, 'ghp_infisical0001\n', configured.stderr);
  const login = inf.stats.seen.findLast((s) => s.path === '/api/v1/auth/universal-auth/login');
  assert.deepEqual(JSON.parse(login.body), { clientId: 'client-id-1', clientSecret: 'client-secret-1' });

  const wrong = await launch(['read', '{{ secrets.inf.[GITHUB_TOKEN] }}'], {
    config: store({ clientId: 'client-id-1', clientSecret: 'not-it' }) });
  assert.equal(wrong.code, 77);
  assert.match(wrong.stderr, /universal-auth login: HTTP 401: Invalid credentials/);
  assert.ok(!wrong.stderr.includes('not-it'));
});

test('INFISICAL_TOKEN is used and consumed', async () => {
  const r = await launch(['--', 'env', '-0'], { config: store({}),
    env: { INFISICAL_TOKEN: inf.token(), A: '{{ secrets.inf.[GITHUB_TOKEN] }}' } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(childEnv(r.stdout).A, 'ghp_infisical0001');
  assert.equal(childEnv(r.stdout).INFISICAL_TOKEN, undefined);
});

test('401, 403, 404 and 5xx map to 77, 77, 78 and 69 with Infisical\'s message', async () => {
  const bad = await launch(['read', '{{ secrets.inf.[GITHUB_TOKEN] }}'], { config: store({ accessToken: 'st.bogus' }) });
  assert.equal(bad.code, 77);
  assert.match(bad.stderr, /HTTP 401: Invalid token/);
  const other = await launch(['read', '{{ secrets.inf.[GITHUB_TOKEN] }}'],
    { config: store({ accessToken: inf.token('proj-2') }) });
  assert.equal(other.code, 77);
  assert.match(other.stderr, /HTTP 403: You are not allowed to read on secrets/);
  const env = await launch(['read', '{{ secrets.inf.[OTHER_ENV] }}'], { config: store({ accessToken: inf.token() }) });
  assert.equal(env.code, 78);
  const version = await launch(['read', '{{ secrets.inf.[API_KEY?version=7] }}'], { config: store({ accessToken: inf.token() }) });
  assert.equal(version.code, 78);
  for (let i = 0; i < 4; i++) inf.faults.push({ status: 502, retryAfter: 0, json: { statusCode: 502, message: 'Bad Gateway' } });
  const down = await launch(['read', '{{ secrets.inf.[GITHUB_TOKEN] }}'], { config: store({ accessToken: inf.token() }) });
  assert.equal(down.code, 69);
  assert.match(down.stderr, /HTTP 502: Bad Gateway/);
});

test('bad configuration is one line and exit 78', async () => {
  const cases = [
    [{ projectId: undefined, accessToken: 't' }, /configuration.projectId is required/],
    [{ environment: 5, accessToken: 't' }, /configuration.environment must be a non-empty string/],
    [{}, /no credentials/],
    [{ accessToken: 't', clientId: 'a', clientSecret: 'b' }, /both accessToken and clientId/],
    [{ siteUrl: 'http://infisical.example.com', accessToken: 't' }, /plain http:\/\//],
  ];
  for (const [configuration, message] of cases) {
    const r = await launch(['read', '{{ secrets.inf.[GITHUB_TOKEN] }}'], { config: store(configuration) });
    assert.equal(r.code, 78, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});
