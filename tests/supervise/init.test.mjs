// Supervise mode as an init (DESIGN §8), with real processes: exit codes and 128+N, every
// signal passed on exactly once and in order, Ctrl-C under a pseudo-terminal reaching the
// child once, orphans reaped as a subreaper and as PID 1 in a PID namespace, no orphan when
// the launcher is killed, and exec failures reported as in exec mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { launcher, sigcatch, start, sleep, childrenOf, alive } from './lib.mjs';

const run = (args) => spawnSync(launcher, ['--quiet', ...args], { env: { PATH: process.env.PATH } });

test('the exit code is the child\'s, or 128+N when signal N ended it', () => {
  for (let code = 0; code <= 255; code++)
    assert.equal(run(['--supervise', '--', 'sh', '-c', `exit ${code}`]).status, code, `exit ${code}`);
  // Every signal whose default action ends a process (the stopping and ignored ones do not).
  const survive = new Set(['SIGCHLD', 'SIGCONT', 'SIGURG', 'SIGWINCH', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU']);
  for (const [name, n] of Object.entries(constants.signals)) {
    if (n > 31 || survive.has(name) || name === 'SIGIOT' || name === 'SIGPOLL' || name === 'SIGUNUSED') continue;
    assert.equal(run(['--supervise', '--', 'sh', '-c', `kill -${n} $$`]).status, 128 + n, name);
  }
});

test('exec failures: 127 not found, 126 not executable, as in exec mode', () => {
  const missing = run(['--supervise', '--', 'no-such-command-here']);
  assert.equal(missing.status, 127);
  assert.match(missing.stderr.toString(), /no-such-command-here: command not found/);
  assert.equal(run(['--supervise', '--', '/etc/hostname']).status, 126);
});

test('every signal 1-31 but KILL, STOP, CHLD and job control reaches the child once, in order', async () => {
  const skip = new Set([9, 17, 19, 20, 21, 22]);  // KILL, CHLD, STOP, TSTP, TTIN, TTOU
  const signals = Array.from({ length: 31 }, (_, i) => i + 1).filter((s) => !skip.has(s) && s !== 15);
  const p = start(launcher, ['--quiet', '--supervise', '--', sigcatch]);
  await p.waitFor(/^ready/);
  for (const sig of signals) {
    p.child.kill(sig);
    await p.waitFor(new RegExp(`^sig ${sig}$`));
  }
  // Back to back: each arrives once (the order of pending signals is the kernel's).
  for (const sig of [10, 12, 1, 2]) p.child.kill(sig);
  await sleep(300);
  p.child.kill('SIGTERM');
  const { code } = await p.exited;
  assert.equal(code, 0);
  const got = p.lines().filter((l) => l.startsWith('sig ')).map((l) => Number(l.slice(4)));
  assert.deepEqual(got.slice(0, signals.length), signals);
  assert.deepEqual(got.slice(signals.length, -1).sort((a, b) => a - b), [1, 2, 10, 12]);
  assert.equal(got.at(-1), 15);
});

test('Ctrl-C at a terminal reaches the child once (the kernel signals its group, not ours)', () => {
  const script = `
import os, pty, sys, time, select
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], '--quiet', '--supervise', '--', sys.argv[2], '--exit-on', '10'])
out = b''
def read_for(seconds):
    global out
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try: out += os.read(fd, 1024)
            except OSError: return
read_for(1.0)
os.write(fd, b'\\x03')
read_for(0.5)
os.kill(pid, 10)
read_for(1.0)
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors='replace'))
sys.stdout.write('status %d\\n' % os.waitstatus_to_exitcode(status))
`;
  const r = spawnSync('python3', ['-c', script, launcher, sigcatch], { env: { PATH: process.env.PATH } });
  const text = r.stdout.toString();
  assert.match(text, /ready/, text + r.stderr);
  // (the terminal echoes ^C on the line the child's answer goes to)
  assert.equal(text.split('\n').filter((l) => l.trim().endsWith('sig 2')).length, 1, text);
  assert.match(text, /status 0/);
});

test('as a subreaper, orphans of the child are reaped: no zombie is left', async () => {
  const p = start(launcher, ['--quiet', '--supervise', '--', sigcatch, '--orphans', '30']);
  await p.waitFor(/^ready/);
  assert.equal(childrenOf(p.child.pid).length, 31, 'the launcher adopted the 30 orphans');
  await sleep(700);  // the orphans have exited by now
  assert.deepEqual(childrenOf(p.child.pid).filter((c) => c.state === 'Z'), []);
  assert.equal(childrenOf(p.child.pid).length, 1);
  p.child.kill('SIGTERM');
  assert.equal((await p.exited).code, 0);
});

test('as PID 1 in a PID namespace: supervise is the default, orphans are reaped, SIGTERM ends it', async (t) => {
  try { execFileSync('unshare', ['-fp', '--mount-proc', 'true'], { stdio: 'ignore' }); } catch {
    t.skip('unshare -fp --mount-proc is not allowed here'); return;
  }
  const p = start('unshare', ['-fp', '--mount-proc', launcher, '--quiet', '--', sigcatch, '--orphans', '50']);
  const ready = await p.waitFor(/^ready/);
  assert.equal(ready, 'ready 2', 'the launcher is PID 1, its child PID 2');
  await sleep(700);
  const init = childrenOf(p.child.pid)[0];  // unshare's child: the launcher as PID 1
  assert.ok(init, 'found the namespace\'s PID 1');
  assert.deepEqual(childrenOf(init.pid).filter((c) => c.state === 'Z'), []);
  assert.equal(childrenOf(init.pid).length, 1, 'only the child itself remains');
  process.kill(init.pid, 'SIGTERM');
  assert.equal((await p.exited).code, 0);
  assert.deepEqual(p.lines().filter((l) => l.startsWith('sig ')), ['sig 15']);
  // --exec opts out: the command itself is PID 1.
  const exec = spawnSync('unshare', ['-fp', '--mount-proc', launcher, '--quiet', '--exec', '--', 'sh', '-c', 'echo $$']);
  assert.equal(exec.stdout.toString().trim(), '1');
});

test('the child dies with the launcher, even when the launcher is killed with SIGKILL', async () => {
  const p = start(launcher, ['--quiet', '--supervise', '--', sigcatch]);
  const ready = await p.waitFor(/^ready/);
  const child = Number(ready.split(' ')[1]);
  assert.ok(alive(child));
  p.child.kill('SIGKILL');
  await p.exited;
  for (let i = 0; i < 100 && alive(child); i++) await sleep(10);
  assert.ok(!alive(child), 'no orphan server is left');
});
