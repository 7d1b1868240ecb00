// --refresh (DESIGN §8) against the Vault double: a value that changes gives one restart with
// the new value (timed: value changed → new child serving), an unchanged one none, a failing
// store none; and an SDK MCP client over stdio keeps calling server-everything's tools across
// a rotation without reconnecting — the relay replays its initialize to the new child.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { makeCertificates } from '../stores/lib/tls.mjs';
import { startVault } from '../stores/lib/vault.mjs';
import { startAws } from '../stores/lib/aws.mjs';
import { launcher, sigcatch, start, sleep } from './lib.mjs';

const require = createRequire(new URL('../e2e/package.json', import.meta.url));
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StdioClientTransport } = require('@modelcontextprotocol/sdk/client/stdio.js');
const everything = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');

let certs;
let vault;
let aws;
before(async () => {
  certs = makeCertificates();
  vault = await startVault({ tls: certs.localhost });
  aws = await startAws({ tls: certs.localhost, region: 'eu-west-1' });
});
after(async () => { vault.close(); await aws.close(); certs.remove(); });

function config(token) {
  return JSON.stringify({
    secretStores: [{ name: 'vault', type: 'hashicorp_vault',
      configuration: { address: vault.url, caFile: certs.caFile, token } }],
    cache: { ttl: '1s' },
  });
}

test('a changed value restarts the child once with it; unchanged or failing, nothing', async () => {
  vault.put('rotate/a', { key: 'value-one' });
  const p = start(launcher, ['--supervise', '--refresh', '1s', '--', 'sh', '-c', `echo "value=$K"; exec ${sigcatch}`],
    { env: { MCP_LAUNCH_CONFIG_JSON: config(vault.token()), K: '{{ secrets.vault.[rotate/a] }}' } });
  await p.waitFor(/^value=value-one$/);
  await sleep(2500);
  assert.equal(p.lines().filter((l) => l.startsWith('value=')).length, 1, 'unchanged: no restart');
  vault.put('rotate/a', { key: 'value-two' });
  const changed = Date.now();
  await p.waitFor(/^value=value-two$/, 5000);
  const serving = Date.now() - changed;
  assert.equal(p.lines().filter((l) => l.startsWith('value=')).length, 2, 'one restart');
  assert.match(p.stderr(), /refresh: a value changed; restarting sh with it/);
  vault.state.sealed = true;
  await sleep(2500);
  assert.match(p.stderr(), /refresh: .*Vault is sealed.*keeping the running server/s);
  assert.equal(p.lines().filter((l) => l.startsWith('value=')).length, 2, 'failing: no restart');
  vault.state.sealed = false;
  p.child.kill('SIGTERM');
  assert.equal((await p.exited).code, 0);
  console.log(`# rotation: value changed -> new child serving in ${serving} ms (refresh period 1 s + splay)`);
});

test('an MCP client keeps calling tools across a rotation, without reconnecting', async () => {
  vault.put('rotate/b', { key: 'everything-one' });
  const transport = new StdioClientTransport({
    command: launcher,
    args: ['--supervise', '--refresh', '1s', '--', process.execPath, everything, 'stdio'],
    env: { PATH: process.env.PATH, MCP_LAUNCH_CONFIG_JSON: config(vault.token()),
      API_KEY: '{{ secrets.vault.[rotate/b] }}' },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d) => { stderr += d; });
  const client = new Client({ name: 'rotation-e2e', version: '1.0.0' });
  await client.connect(transport);
  let ok = 0;
  let failed = 0;
  const until = Date.now() + 5000;
  let rotated = false;
  while (Date.now() < until) {
    if (!rotated && Date.now() > until - 4000) {
      vault.put('rotate/b', { key: 'everything-two' });
      rotated = true;
    }
    try {
      const r = await client.callTool({ name: 'echo', arguments: { message: `m${ok}` } });
      assert.match(r.content[0].text, /m\d+/);
      ok++;
    } catch {
      failed++;
    }
    await sleep(50);
  }
  await client.close();
  assert.match(stderr, /refresh: a value changed; restarting/);
  assert.ok(ok > 40, `${ok} calls answered`);
  assert.ok(failed <= 2, `${failed} calls failed: only those in flight at the stop may`);
});

test('a store token is kept while it lives and renewed before it expires, not at each refresh', async () => {
  // Tokens live 2 s; values are read again every second (cache.ttl 1 s). One store, kept
  // across refreshes, uses a token until 4/5 of its life and then logs in again: fewer
  // logins than reads, at least two of them, and never a read with an expired token.
  vault.state.loginTtlSeconds = 2;
  vault.put('rotate/c', { key: 'ttl-one' });
  const [logins, reads] = [vault.state.logins, vault.state.reads];
  const cfg = JSON.stringify({
    secretStores: [{ name: 'vault', type: 'hashicorp_vault', configuration: {
      address: vault.url, caFile: certs.caFile,
      auth: { method: 'approle', roleId: vault.state.approle.roleId, secretId: vault.state.approle.secretId } } }],
    cache: { ttl: '1s' },
  });
  const p = start(launcher, ['--supervise', '--refresh', '1s', '--log-level', 'debug', '--', 'sh', '-c', `echo "value=$K"; exec ${sigcatch}`],
    { env: { MCP_LAUNCH_CONFIG_JSON: cfg, K: '{{ secrets.vault.[rotate/c] }}' } });
  await p.waitFor(/^value=ttl-one$/);
  await sleep(4500);  // past two lifetimes of the first token
  vault.put('rotate/c', { key: 'ttl-two' });
  await p.waitFor(/^value=ttl-two$/, 5000);
  p.child.kill('SIGTERM');
  await p.exited;
  vault.state.loginTtlSeconds = 2764800;
  const [logged, read] = [vault.state.logins - logins, vault.state.reads - reads];
  assert.ok(read >= 5, `${read} reads`);
  assert.ok(logged >= 2 && logged < read, `${logged} logins for ${read} reads`);
  assert.doesNotMatch(p.stderr(), /permission denied|keeping the running server/);
  // One store for the whole run: its connection is kept too.
  const network = [...p.stderr().matchAll(/network: (\d+) requests over (\d+) connections/g)].at(-1);
  assert.ok(network && Number(network[1]) >= logged + read - 1 && network[2] === '1', network?.[0]);
  console.log(`# token renewal: ${logged} logins for ${read} reads (token TTL 2 s, refresh 1 s); ${network[0]}`);
});

test('AWS credentials are obtained again before their Expiration', async () => {
  // Container credentials that live 3 s (AWS refuses them after that), values read every
  // second: the credentials are reused, then replaced before they expire.
  aws.state.credentialsTtlSeconds = 3;
  aws.put('rotate/e', { string: 'aws-one' });
  const [fetched, read] = [aws.state.calls.container, aws.state.calls.GetSecretValue];
  const p = start(launcher, ['--supervise', '--refresh', '1s', '--', 'sh', '-c', `echo "value=$K"; exec ${sigcatch}`],
    { env: { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url, AWS_CA_BUNDLE: certs.caFile,
      AWS_EC2_METADATA_DISABLED: 'true', AWS_CONTAINER_CREDENTIALS_FULL_URI: aws.containerUrl,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: aws.state.container.token,
      MCP_LAUNCH_CONFIG_JSON: JSON.stringify({ secretStores: [{ name: 'aws', type: 'aws_secrets_manager' }], cache: { ttl: '1s' } }),
      K: '{{ secrets.aws.[rotate/e] }}' } });
  await p.waitFor(/^value=aws-one$/);
  await sleep(5000);
  aws.put('rotate/e', { string: 'aws-two' });
  await p.waitFor(/^value=aws-two$/, 5000);
  p.child.kill('SIGTERM');
  await p.exited;
  aws.state.credentialsTtlSeconds = 3600;
  const [credentials, reads] = [aws.state.calls.container - fetched, aws.state.calls.GetSecretValue - read];
  assert.ok(reads >= 6, `${reads} reads`);
  assert.ok(credentials >= 2 && credentials < reads, `${credentials} credentials for ${reads} reads`);
  assert.doesNotMatch(p.stderr(), /ExpiredToken|keeping the running server/);
  console.log(`# AWS renewal: ${credentials} credentials for ${reads} reads (Expiration 3 s, refresh 1 s)`);
});

test('with --mask, a rotated value is masked too', async () => {
  vault.put('rotate/d', { key: 'mask-one-0123' });
  const p = start(launcher, ['--supervise', '--mask', '--refresh', '1s', '--', 'sh', '-c', `echo "value=$K"; exec ${sigcatch}`],
    { env: { MCP_LAUNCH_CONFIG_JSON: config(vault.token()), K: '{{ secrets.vault.[rotate/d] }}' } });
  await p.waitFor(/^value=\*\*\*$/);
  vault.put('rotate/d', { key: 'mask-two-4567' });
  const values = () => p.lines().filter((l) => l.startsWith('value='));
  for (const until = Date.now() + 5000; values().length < 2 && Date.now() < until;) await sleep(10);
  p.child.kill('SIGTERM');
  await p.exited;
  assert.match(p.stderr(), /refresh: a value changed/);
  assert.deepEqual(values(), ['value=***', 'value=***']);
  assert.doesNotMatch(p.lines().join('\n'), /mask-(one|two)/);
});

test('a stop that comes while a restart resolves again ends the launcher: no new child', async () => {
  // The child fails; one second later its restart reads the value again, which the double
  // answers only after 3 s; SIGTERM meanwhile must end the launcher, not start a child.
  vault.put('rotate/f', { key: 'slow-one' });
  const p = start(launcher, ['--supervise', '--restart', 'on-failure', '--', 'sh', '-c', 'echo "run $K"; exit 1'],
    { env: { MCP_LAUNCH_CONFIG_JSON: config(vault.token()), K: '{{ secrets.vault.[rotate/f] }}' } });
  await p.waitFor(/^run slow-one$/);
  vault.faults.push({ path: '/rotate/f', delayMs: 3000 });
  await sleep(1500);  // the restart's resolution is waiting for the slow answer
  p.child.kill('SIGTERM');
  const { code } = await p.exited;
  assert.equal(code, 1);
  assert.deepEqual(p.lines(), ['run slow-one'], 'no child started after the stop');
});
