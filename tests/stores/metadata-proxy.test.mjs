// The clouds' metadata endpoints never go through a proxy (README, Network): loopback is
// never proxied anyway, so the test runs where 169.254.169.254 is a real local address — a
// network namespace of its own (`unshare -rn`) — with HTTPS_PROXY naming a proxy that counts
// every connection it gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const helper = fileURLToPath(new URL('./lib/metadata-netns.mjs', import.meta.url));

test('EC2 metadata at 169.254.169.254 is asked directly with HTTPS_PROXY set', (t) => {
  const probe = spawnSync('unshare', ['-rn', 'true']);
  if (probe.status !== 0) return t.skip(`no network namespace here (unshare -rn: ${probe.stderr})`);
  const r = spawnSync('unshare', ['-rn', 'sh', '-c',
    `ip link set lo up && ip addr add 169.254.169.254/32 dev lo && exec "${process.execPath}" "${helper}"`],
  { encoding: 'utf8', env: process.env, timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout.trim().split('\n').at(-1));
  assert.equal(got.code, 0, got.stderr);
  assert.equal(got.stdout, 'from-imds-0001\n');
  assert.ok(got.imds >= 3, `IMDS asked ${got.imds} times (token, role, credentials)`);
  assert.equal(got.proxied, 0, 'nothing went through the proxy');
});
