// --refresh (DESIGN §8) against the Vault double: a value that changes gives one restart with
// the new value (timed: value changed → new child serving), an unchanged one none, a failing
// store none; and an SDK MCP client over stdio keeps calling server-everything's tools across
// a rotation without reconnecting — the relay replays its initialize to the new child.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { makeCertificates } from '../stores/lib/tls.mjs';
import { startVault } from '../stores/lib/vault.mjs';
import { launcher, sigcatch, start, sleep } from './lib.mjs';

const require = createRequire(new URL('../e2e/package.json', import.meta.url));
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StdioClientTransport } = require('@modelcontextprotocol/sdk/client/stdio.js');
const everything = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');

let certs;
let vault;
before(async () => {
  certs = makeCertificates();
  vault = await startVault({ tls: certs.localhost });
});
after(() => { vault.close(); certs.remove(); });

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

test('a store token that lives one second: each refresh logs in again, past its TTL', async () => {
  vault.state.loginTtlSeconds = 1;
  vault.put('rotate/c', { key: 'ttl-one' });
  const logins = vault.state.logins;
  const cfg = JSON.stringify({
    secretStores: [{ name: 'vault', type: 'hashicorp_vault', configuration: {
      address: vault.url, caFile: certs.caFile,
      auth: { method: 'approle', roleId: vault.state.approle.roleId, secretId: vault.state.approle.secretId } } }],
    cache: { ttl: '1s' },
  });
  const p = start(launcher, ['--supervise', '--refresh', '1s', '--', 'sh', '-c', `echo "value=$K"; exec ${sigcatch}`],
    { env: { MCP_LAUNCH_CONFIG_JSON: cfg, K: '{{ secrets.vault.[rotate/c] }}' } });
  await p.waitFor(/^value=ttl-one$/);
  await sleep(2500);  // the first login's token has expired by now
  vault.put('rotate/c', { key: 'ttl-two' });
  await p.waitFor(/^value=ttl-two$/, 5000);
  p.child.kill('SIGTERM');
  await p.exited;
  vault.state.loginTtlSeconds = 2764800;
  assert.ok(vault.state.logins - logins >= 3, `${vault.state.logins - logins} logins`);
  assert.doesNotMatch(p.stderr(), /permission denied/);
});
