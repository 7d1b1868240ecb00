// The rotation timeline of supervise mode: a value changes in the store (the Vault double);
// when the launcher notices it (its "refresh: a value changed" line), and when the new child
// serves with the new value (its first line). --refresh 1s with cache.ttl 1s, several
// rotations in a row; the times are from the change.
import { spawn } from 'node:child_process';
import { makeCertificates } from '../../tests/stores/lib/tls.mjs';
import { startVault } from '../../tests/stores/lib/vault.mjs';
import { median } from './measure.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function rotation({ binary, rotations = 5 }) {
  const certs = makeCertificates();
  const vault = await startVault({ tls: certs.localhost });
  vault.put('rotate/a', { key: 'value-0' });
  const config = { secretStores: [{ name: 'vault', type: 'hashicorp_vault',
    configuration: { address: vault.url, caFile: certs.caFile, token: vault.token() } }], cache: { ttl: '1s' } };
  const child = spawn(binary, ['--supervise', '--refresh', '1s', '--', 'sh', '-c', 'echo "value=$K"; exec sleep 600'], {
    env: { PATH: process.env.PATH, MCP_LAUNCH_CONFIG_JSON: JSON.stringify(config), K: '{{ secrets.vault.[rotate/a] }}' },
    stdio: ['ignore', 'pipe', 'pipe'] });
  const seen = [];  // { at, line, stream }
  for (const [stream, name] of [[child.stdout, 'out'], [child.stderr, 'err']]) {
    let rest = '';
    stream.on('data', (d) => {
      const lines = (rest + d).split('\n');
      rest = lines.pop();
      for (const line of lines) seen.push({ at: performance.now(), line, stream: name });
    });
  }
  const waitFor = async (test, after, limitMs = 10_000) => {
    for (const end = performance.now() + limitMs; performance.now() < end; await sleep(5)) {
      const hit = seen.find((s) => s.at >= after && test(s));
      if (hit) return hit.at;
    }
    throw new Error('rotation: timed out waiting');
  };
  const rows = [];
  try {
    await waitFor((s) => s.line === 'value=value-0', 0);
    for (let i = 1; i <= rotations; i++) {
      await sleep(1500 + 300 * i);  // changes fall at different points of the refresh period
      vault.put('rotate/a', { key: `value-${i}` });
      const changed = performance.now();
      const noticed = await waitFor((s) => s.stream === 'err' && /refresh: a value changed/.test(s.line), changed);
      const serving = await waitFor((s) => s.line === `value=value-${i}`, changed);
      rows.push({ noticedMs: noticed - changed, servingMs: serving - changed, restartMs: serving - noticed });
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.on('close', r));
    await vault.close();
    certs.remove();
  }
  return { rows, noticed: median(rows.map((r) => r.noticedMs)), serving: median(rows.map((r) => r.servingMs)),
    restart: median(rows.map((r) => r.restartMs)) };
}
