// No secret of a network store — a value, a configured token, a login credential, or the
// token a login returned, AWS keys and session tokens, a Google private key, an Azure client
// secret — appears in any log line at trace level, in text or JSON; and the
// launcher opens no file for writing (strace), network stores included.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCertificates } from './lib/tls.mjs';
import { startVault } from './lib/vault.mjs';
import { startInfisical } from './lib/infisical.mjs';
import { startAws } from './lib/aws.mjs';
import { startGcp } from './lib/gcp.mjs';
import { startAzure } from './lib/azure.mjs';
import { launch, binary, tempDir } from './lib/launch.mjs';

let certs, vault, inf, aws, gcp, az, gcpKey, config, env;
const values = ['vault-value-Leak0001', 'vault-pw-Leak0002', 'infisical-Leak0003', 'infisical-Leak0004',
  'aws-value-Leak0005', 'aws-pw-Leak0006', 'gcp-value-Leak0007', 'azure-value-Leak0008'];

before(async () => {
  certs = makeCertificates();
  vault = await startVault({ tls: certs.localhost });
  inf = await startInfisical({ tls: certs.localhost });
  vault.put('mcp/a', { token: values[0] });
  vault.put('mcp/b', { user: 'u', password: values[1] });
  inf.put('A', values[2]);
  inf.put('B', values[3]);
  aws = await startAws({ tls: certs.localhost });
  aws.put('mcp/a', { string: values[4] });
  aws.put('mcp/b', { string: JSON.stringify({ password: values[5] }) });
  gcp = await startGcp({ tls: certs.localhost });
  gcpKey = gcp.serviceAccount();
  gcp.put('g', values[6]);
  az = await startAzure({ tls: certs.localhost });
  az.put('z', values[7]);
  config = { secretStores: [
    { name: 'vault', type: 'hashicorp_vault', configuration: { address: vault.url, caFile: certs.caFile,
      auth: { method: 'approle', roleId: 'role-id-1', secretId: '{{ env.VAULT_SECRET_ID }}' } } },
    { name: 'inf', type: 'infisical', configuration: { siteUrl: inf.url, caFile: certs.caFile,
      projectId: 'proj-1', environment: 'prod', clientId: 'client-id-1', clientSecret: '{{ env.INF_SECRET }}' } },
    { name: 'aws', type: 'aws_secrets_manager', configuration: { region: 'us-east-1', endpoint: aws.url, caFile: certs.caFile } },
    { name: 'gcp', type: 'gcp_secret_manager', configuration: { endpoint: gcp.url, caFile: certs.caFile,
      serviceAccountKey: '{{ env.GCP_KEY }}' } },
    { name: 'azure', type: 'azure_key_vault', configuration: { vaultUrl: az.url, authorityHost: az.authorityHost,
      caFile: certs.caFile, tenantId: az.state.tenant, clientId: 'app-client-id' } },
  ] };
  env = { VAULT_SECRET_ID: 'secret-id-1', INF_SECRET: 'client-secret-1',
          V1: '{{ secrets.vault.[mcp/a] }}', V2: '{{ secrets.vault.[mcp/b#password] }}',
          I1: '{{ secrets.inf.[A] }}', I2: '{{ secrets.inf.[B] }}',
          // Container credentials: an authorization token, then temporary keys for SigV4.
          AWS_CONTAINER_CREDENTIALS_FULL_URI: aws.containerUrl,
          AWS_CONTAINER_AUTHORIZATION_TOKEN: aws.state.container.token,
          A1: '{{ secrets.aws.[mcp/a] }}', A2: '{{ secrets.aws.[mcp/b#password] }}',
          GCP_KEY: JSON.stringify(gcpKey), G1: '{{ secrets.gcp.[g] }}',
          AZURE_CLIENT_SECRET: 'app-client-secret~0001', Z1: '{{ secrets.azure.[z] }}' };
});
after(async () => { await Promise.all([vault, inf, aws, gcp, az].map((d) => d.close())); certs.remove(); });

function secrets() {
  const awsKeys = [...aws.state.keys.values()].flatMap((k) => [k.secret, k.sessionToken].filter(Boolean));
  return [...values, 'secret-id-1', 'client-secret-1', ...vault.state.tokens.keys(), ...inf.state.tokens.keys(),
    aws.state.container.token, ...awsKeys, gcpKey.private_key.split('\n')[1], ...gcp.state.tokens.keys(),
    'app-client-secret~0001', ...az.state.tokens.keys()];
}

for (const format of ['text', 'json']) {
  test(`trace-level ${format} logs hold no secret`, async () => {
    const r = await launch(['--log-level', 'trace', '--log-format', format, '--', 'true'], { config, env });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stderr.split('\n').length > 3, 'trace logging is on');
    for (const s of secrets()) assert.ok(!r.stderr.includes(s), `${s} leaked into the log`);
    assert.equal(r.stdout, '', 'stdout belongs to the child');
  });
}

test('failures name references and reasons, never a secret', async () => {
  vault.put('mcp/c', { a: values[0], b: values[1] });
  const r = await launch(['--log-level', 'trace', 'read', '{{ secrets.vault.[mcp/c] }}', '{{ secrets.inf.[NOPE] }}',
    '{{ secrets.aws.[mcp/nope] }}', '{{ secrets.aws.[mcp/b#nope] }}', '{{ secrets.gcp.[nope] }}', '{{ secrets.azure.[nope] }}'],
    { config, env: { VAULT_SECRET_ID: 'secret-id-1', INF_SECRET: 'client-secret-1', GCP_KEY: env.GCP_KEY,
      AZURE_CLIENT_SECRET: 'app-client-secret~0001',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: aws.containerUrl, AWS_CONTAINER_AUTHORIZATION_TOKEN: aws.state.container.token } });
  assert.equal(r.code, 78, r.stderr);
  assert.match(r.stderr, /mcp\/nope.*ResourceNotFoundException/);
  for (const s of secrets()) assert.ok(!r.stderr.includes(s), `${s} leaked into an error`);
});

test('no file is opened for writing, network stores included (strace)', async (t) => {
  try { execFileSync('strace', ['-V'], { stdio: 'ignore' }); } catch { t.skip('strace is not installed'); return; }
  const dir = tempDir('mcpl-strace-');
  const trace = join(dir, 'trace');
  const r = await launch(['-f', '-qq', '-e', 'trace=open,openat,openat2,creat,rename,renameat,renameat2,link,linkat',
    '-o', trace, binary, '--', 'true'], { config, env, command: 'strace' });
  assert.equal(r.code, 0, r.stderr);
  const lines = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
  assert.ok(lines.some((l) => l.includes('openat')), 'strace saw the opens');
  const writes = lines.filter((l) => /O_WRONLY|O_RDWR|O_CREAT|creat\(|rename|link/.test(l));
  assert.deepEqual(writes, []);
});

// Every window of `secret` this long found in `text`: a cut-off token is still a leak.
function pieces(text, secret, width = 12) {
  const found = [];
  for (let i = 0; i + width <= secret.length; i++)
    if (text.includes(secret.slice(i, i + width))) found.push(secret.slice(i, i + width));
  return found;
}

// A 403 whose text holds the token it was sent where the 200-character cut falls, after a
// line break, and with terminal control characters around it.
const echoing = { path: '/v1/secret/data/', status: 403, json: (req) => {
  const token = req.headers['x-vault-token'];
  return { errors: [`denied ${'.'.repeat(120)}${token}\n${token}\u001b[2J\u0007\u000b`] };
} };

test('a store answer that echoes the token is redacted before it is cut or folded', async () => {
  const token = 'hvs.' + 'E'.repeat(60) + 'x'.repeat(60) + 'Z'.repeat(70);  // 194 characters
  vault.state.tokens.set(token, { ns: '', paths: ['*'] });
  const fromEnv = { secretStores: [{ name: 'vault', type: 'hashicorp_vault',
    configuration: { address: vault.url, caFile: certs.caFile } }] };
  const fromLogin = { secretStores: [{ ...config.secretStores[0] }] };
  const runs = [
    ['text', fromEnv, () => token], ['json', fromEnv, () => token],
    // The token a login returned: the launcher never saw it before this launch.
    ['text', fromLogin, () => vault.stats.seen.at(-1).headers['x-vault-token']],
  ];
  for (const [format, cfg, sent] of runs) {
    vault.faults.push(echoing);
    const r = await launch(['--log-level', 'trace', '--log-format', format, '--', 'true'],
      { config: cfg, env: { VAULT_TOKEN: token, VAULT_SECRET_ID: 'secret-id-1', V: '{{ secrets.vault.[mcp/a] }}' } });
    assert.equal(r.code, 77, r.stderr);
    assert.match(r.stderr, /HTTP 403: denied \.+\*\*\*/);
    assert.ok(sent().length > 20);
    assert.deepEqual(pieces(r.stderr, sent()), [], r.stderr);
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f]/.test(r.stderr),
      `control characters reached stderr: ${JSON.stringify(r.stderr)}`);
  }
});

test('a consumed credential expanded by ${NAME} is refused, and redacted wherever it lands', async () => {
  const token = vault.token();
  const cfg = { secretStores: [{ name: 'vault', type: 'hashicorp_vault',
    configuration: { address: vault.url, caFile: certs.caFile } }],
  mcpServers: {
    args: { command: 'sh', args: ['-c', 'echo ok', '${VAULT_TOKEN}'], env: { V: '{{ secrets.vault.[mcp/a] }}' } },
    cwd: { command: 'true', cwd: '/nonexistent/${VAULT_TOKEN}', env: { V: '{{ secrets.vault.[mcp/a] }}' } } } };
  const env = { VAULT_TOKEN: token };
  const args = await launch(['--log-level', 'trace', '--server', 'args'], { config: cfg, env });
  assert.equal(args.code, 78, args.stderr);
  assert.match(args.stderr, /mcpServers\.args\.args\[2\]: \$\{VAULT_TOKEN\} would hand VAULT_TOKEN/);
  assert.equal(args.stdout, '', 'nothing started');
  const cwd = await launch(['--log-level', 'trace', '--server', 'cwd'], { config: cfg, env });
  assert.equal(cwd.code, 78, cwd.stderr);
  // Kept on purpose, it goes on; the cwd error then shows the value masked.
  const kept = await launch(['--log-level', 'trace', '--keep-env', 'VAULT_TOKEN', '--server', 'cwd'],
    { config: cfg, env });
  assert.equal(kept.code, 78, kept.stderr);
  assert.match(kept.stderr, /cwd \/nonexistent\/\*\*\*: No such file or directory/);
  for (const r of [args, cwd, kept]) assert.deepEqual(pieces(r.stderr, token), [], r.stderr);
});
