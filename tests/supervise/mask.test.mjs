// --mask (DESIGN §8): the child's stdout and stderr with every resolved value, and its
// JSON-string-escaped form, replaced by ***, also when it is split across writes; a whole
// line is passed on at once; with the session relay too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { launcher, start, sleep } from './lib.mjs';

const SECRET = 'tok-"quoted"-0123456789';
const env = { PATH: process.env.PATH, SRC: SECRET, V: '{{ env.SRC }}' };

test('plain, JSON-escaped and split values are masked on stdout and stderr', () => {
  const script = [
    'echo "out $V"',
    'echo "err $V" >&2',
    'printf \'{"k":"%s"}\\n\' "$(printf %s "$V" | sed \'s/"/\\\\"/g\')"',
    'printf "split tok-\\"quo"; sleep 0.02; printf "ted\\"-0123456789 end\\n"',
  ].join('; ');
  const r = spawnSync(launcher, ['--quiet', '--supervise', '--mask', '--', 'sh', '-c', script], { env });
  assert.equal(r.status, 0, r.stderr.toString());
  const out = r.stdout.toString();
  const err = r.stderr.toString();
  assert.equal(out, 'out ***\n{"k":"***"}\nsplit *** end\n');
  assert.equal(err, 'err ***\n');
  assert.ok(!out.includes('0123456789') && !err.includes('0123456789'));
});

test('a whole line is passed on at once, without waiting for more', async () => {
  const p = start(launcher, ['--quiet', '--supervise', '--mask', '--', 'sh', '-c', 'echo "ready $V"; sleep 2'], { env });
  const t0 = Date.now();
  assert.equal(await p.waitFor(/^ready/, 1500), 'ready ***');
  assert.ok(Date.now() - t0 < 1000);
  p.child.kill('SIGTERM');
  await p.exited;
});

test('with the session relay, the JSON-RPC lines are masked too', () => {
  const r = spawnSync(launcher, ['--quiet', '--supervise', '--mask', '--restart', 'on-failure', '--', 'sh', '-c',
    'printf \'{"jsonrpc":"2.0","method":"x","params":{"v":"%s"}}\\n\' "$(printf %s "$V" | sed \'s/"/\\\\"/g\')"'],
  { env, input: '' });
  assert.equal(r.status, 0, r.stderr.toString());
  assert.equal(r.stdout.toString(), '{"jsonrpc":"2.0","method":"x","params":{"v":"***"}}\n');
});
