// What supervise mode gives the child besides signals (DESIGN §6, §8): a `| file` path that
// names the child's own process, and job control as dumb-init does it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { launcher, sigcatch, start, sleep } from './lib.mjs';

test('| file: the child inherits the sealed memfd, through a path of its own /proc entry', () => {
  const r = spawnSync(launcher, ['--quiet', '--supervise', '--', 'sh', '-c', 'echo "$F $$"; cat "$F"'],
    { env: { PATH: process.env.PATH, SRC: 'memfd-secret-0123', F: '{{ env.SRC | file }}' } });
  assert.equal(r.status, 0, r.stderr.toString());
  const [first, value] = r.stdout.toString().split('\n');
  const [path, pid] = first.split(' ');
  assert.equal(path, `/proc/${pid}/fd/${path.split('/').at(-1)}`, 'the child\'s own PID');
  assert.equal(value, 'memfd-secret-0123');
});

const state = (pid) => /State:\s+(\S)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1];

test('job control: SIGTSTP reaches the child and stops the launcher; SIGCONT wakes both', async () => {
  for (const sig of ['SIGTSTP', 'SIGTTIN', 'SIGTTOU']) {
    const p = start(launcher, ['--quiet', '--supervise', '--', sigcatch]);
    await p.waitFor(/^ready/);
    p.child.kill(sig);
    await p.waitFor(new RegExp(`^sig ${({ SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22 })[sig]}$`));
    for (let i = 0; i < 100 && state(p.child.pid) !== 'T'; i++) await sleep(10);
    assert.equal(state(p.child.pid), 'T', `${sig}: the launcher stopped itself`);
    p.child.kill('SIGCONT');
    await p.waitFor(/^sig 18$/);
    assert.notEqual(state(p.child.pid), 'T');
    p.child.kill('SIGTERM');
    assert.equal((await p.exited).code, 0);
  }
});
