// DESIGN §10, end to end: when references of several stores fail at once, each failure has
// its own line and the exit code is the most permanent one — 78 (configuration, not found)
// over 77 (refused) over 65 (content) over 69 (unavailable) — so that systemd's
// RestartPreventExitStatus=64 65 77 78 restarts only what a retry could fix.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCertificates } from './lib/tls.mjs';
import { startVault } from './lib/vault.mjs';
import { launch, tempDir } from './lib/launch.mjs';

let certs, vault, creds;
before(async () => {
  certs = makeCertificates();
  vault = await startVault({ tls: certs.localhost });
  vault.put('mcp/ok', { key: 'fine' });
  creds = tempDir('mcpl-priority-');
  writeFileSync(join(creds, 'plain'), 'not json', { mode: 0o600 });
});
after(() => { vault.close(); certs.remove(); });

const config = () => ({ secretStores: [
  { name: 'refusing', type: 'hashicorp_vault', configuration: { address: vault.url, caFile: certs.caFile, token: 'hvs.not-a-token' } },
  // Nothing listens on port 1: connections are refused, retried, and the store is unavailable.
  { name: 'away', type: 'hashicorp_vault', configuration: { address: 'https://127.0.0.1:1', token: 'hvs.x' } },
] });
const failing = {
  78: { A: '{{ secrets.file.[missing] }}' },      // not found
  77: { B: '{{ secrets.refusing.[mcp/ok] }}' },   // 403 permission denied
  65: { C: '{{ secrets.file.[plain#key] }}' },    // a selector on a value that is not JSON
  69: { D: '{{ secrets.away.[mcp/ok] }}' },       // connection refused after retries
};

for (const [expected, codes] of [[78, [78, 77, 65, 69]], [77, [77, 65, 69]], [65, [65, 69]], [69, [69]]]) {
  test(`${codes.join(', ')} failing at once: exit ${expected}, one line each`, async () => {
    const env = { CREDENTIALS_DIRECTORY: creds, OK: '{{ secrets.file.[plain] }}' };
    for (const code of codes) Object.assign(env, failing[code]);
    const r = await launch(['--timeout', '5s', '--', 'sh', '-c', 'echo started'], { config: config(), env });
    assert.equal(r.code, expected, r.stderr);
    assert.equal(r.stdout, '', 'nothing starts');
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('mcp-launch: error: '));
    assert.equal(lines.length, codes.length, r.stderr);
    for (const code of codes) {
      const [name] = Object.keys(failing[code]);
      assert.ok(lines.some((l) => l.includes(`environment variable ${name}:`)), `${name} has its line: ${r.stderr}`);
    }
  });
}
