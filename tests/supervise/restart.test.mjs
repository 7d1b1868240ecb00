// --restart and the launcher's own stop (DESIGN §8): the backoff counted over time (1 s, then
// 2 s, …), a clean exit final for on-failure, the launcher's stop not a failure, and a child
// that will not stop killed after --stop-timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launcher, sigcatch, start, sleep } from './lib.mjs';

// Starts the launcher and notes when each line arrives.
function timed(args) {
  const p = start(launcher, ['--quiet', ...args]);
  const times = [];
  p.child.stdout.on('data', (d) => { for (const l of String(d).split('\n')) if (l) times.push(Date.now()); });
  return { ...p, times };
}

test('on-failure: restarted after 1 s, then 2 s; a stop during the backoff ends it', async () => {
  const p = timed(['--supervise', '--restart', 'on-failure', '--', 'sh', '-c', 'echo run; exit 3']);
  await sleep(3600);
  p.child.kill('SIGTERM');
  const { code } = await p.exited;
  assert.equal(code, 3, 'the last child\'s code');
  assert.equal(p.lines().length, 3, p.lines().join());
  const gaps = p.times.slice(1).map((t, i) => t - p.times[i]);
  assert.ok(gaps[0] >= 950 && gaps[0] < 1600, `first gap ${gaps[0]} ms`);
  assert.ok(gaps[1] >= 1950 && gaps[1] < 2600, `second gap ${gaps[1]} ms`);
});

test('on-failure: a clean exit is final; always: it is restarted too', async () => {
  const clean = timed(['--supervise', '--restart', 'on-failure', '--', 'sh', '-c', 'echo run; exit 0']);
  assert.equal((await clean.exited).code, 0);
  assert.equal(clean.lines().length, 1);
  const always = timed(['--supervise', '--restart', 'always', '--', 'sh', '-c', 'echo run; exit 0']);
  await sleep(1500);
  always.child.kill('SIGTERM');
  assert.equal((await always.exited).code, 0);
  assert.equal(always.lines().length, 2);
});

test('the launcher\'s own stop is not a failure: the child is not restarted', async () => {
  const p = start(launcher, ['--quiet', '--supervise', '--restart', 'always', '--', sigcatch]);
  await p.waitFor(/^ready/);
  p.child.kill('SIGTERM');
  assert.equal((await p.exited).code, 0);
  assert.equal(p.lines().filter((l) => l.startsWith('ready')).length, 1);
});

test('a child that ignores the stop is killed after --stop-timeout', async () => {
  const p = start(launcher, ['--supervise', '--stop-timeout', '500ms', '--', sigcatch, '--exit-on', '10']);
  await p.waitFor(/^ready/);
  const t0 = Date.now();
  p.child.kill('SIGTERM');
  const { code } = await p.exited;
  const took = Date.now() - t0;
  assert.equal(code, 128 + 9);
  assert.ok(took >= 450 && took < 3000, `${took} ms`);
  assert.match(p.stderr(), /did not stop within 500 ms; killing it/);
  assert.deepEqual(p.lines().filter((l) => l.startsWith('sig')), ['sig 15']);
});

test('bad restart and stop options are usage errors', async () => {
  for (const [args, message] of [
    [['--restart', 'sometimes'], /--restart takes no, on-failure or always/],
    [['--stop-signal', 'NOPE'], /--stop-signal: 'NOPE' is not a signal/],
    [['--stop-timeout', 'soon'], /--stop-timeout: /],
  ]) {
    const p = start(launcher, ['--supervise', ...args, '--', 'true']);
    const { code } = await p.exited;
    assert.equal(code, 64, p.stderr());
    assert.match(p.stderr(), message);
  }
});

test('a restart resolves again: a rotated value is used; a secret gone ends the launcher with 78', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'mcpl-restart-'));
  writeFileSync(join(dir, 'key'), 'first-value', { mode: 0o600 });
  const p = start(launcher, ['--supervise', '--restart', 'on-failure', '--', 'sh', '-c', 'echo "v=$K"; exit 1'],
    { env: { CREDENTIALS_DIRECTORY: dir, K: '{{ secrets.file.key }}' } });
  await p.waitFor(/^v=first-value$/);
  writeFileSync(join(dir, 'key'), 'second-value', { mode: 0o600 });
  await p.waitFor(/^v=second-value$/, 3000);
  rmSync(join(dir, 'key'));
  const { code } = await p.exited;
  assert.equal(code, 78, p.stderr());
  assert.match(p.stderr(), /restart: resolving the references again failed/);
  rmSync(dir, { recursive: true, force: true });
});

test('a child that does not read its stdin does not stop the launcher from ending', async () => {
  const p = start(launcher, ['--quiet', '--supervise', '--restart', 'on-failure', '--', 'sh', '-c', 'echo ready; exec sleep 30']);
  await p.waitFor(/^ready$/);
  // A megabyte of requests: far more than a pipe holds, and the child reads none of it.
  const line = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/x', params: { pad: 'x'.repeat(1000) } }) + '\n';
  p.child.stdin.on('error', () => {});
  p.child.stdin.write(line.repeat(1024));
  await sleep(300);
  const t0 = Date.now();
  p.child.kill('SIGTERM');
  const { code } = await p.exited;
  assert.equal(code, 128 + 15);
  // At once: not after the 10 s --stop-timeout (a generous bound, for ASan on two cores).
  assert.ok(Date.now() - t0 < 5000, `${Date.now() - t0} ms`);
});

test('under a service manager (stdin /dev/null) restarts go on: there is no session to end', async () => {
  const { spawn } = await import('node:child_process');
  const child = spawn(launcher, ['--supervise', '--restart', 'on-failure', '--', 'sh', '-c', 'echo run; exit 3'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  const exited = new Promise((r) => child.on('close', (code) => r(code)));
  await sleep(1600);  // the first run, then one restart after 1 s
  child.kill('SIGTERM');
  assert.equal(await exited, 3);
  assert.equal(out, 'run\nrun\n');
});
