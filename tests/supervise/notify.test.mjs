// systemd Type=notify without libsystemd (DESIGN §8), against a real datagram socket (bound
// by python3, as systemd would): READY=1 once the child runs, WATCHDOG=1 at half of
// WATCHDOG_USEC, STATUS= on a restart, and NOTIFY_SOCKET and WATCHDOG_* kept from the child.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launcher } from './lib.mjs';

// Binds `address` (a path, or @name), runs the launcher with NOTIFY_SOCKET=address and
// `env` (stopping it with SIGTERM after `seconds` if it runs that long), and returns the
// datagrams received while it ran, and its output.
function underSystemd(address, args, env = {}, seconds = 10) {
  const script = `
import json, os, socket, subprocess, sys, threading
address, launcher, extra = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind('\\0' + address[1:] if address.startswith('@') else address)
got = []
def receive():
    while True:
        got.append(s.recv(4096).decode())
threading.Thread(target=receive, daemon=True).start()
env = {'PATH': os.environ['PATH'], 'NOTIFY_SOCKET': address, **extra}
# stdin stays open, as an MCP client's would: its end would end a relayed session
p = subprocess.Popen([launcher, '--quiet'] + sys.argv[5:], env=env, stdout=subprocess.PIPE,
                     stdin=subprocess.PIPE)
try:
    p.wait(timeout=float(sys.argv[4]))
except subprocess.TimeoutExpired:
    p.terminate()
    p.wait()
out = p.stdout.read()
print(json.dumps({'code': p.returncode, 'out': out.decode(), 'messages': got}))
`;
  const r = spawnSync('python3', ['-c', script, address, launcher, JSON.stringify(env), String(seconds), ...args]);
  assert.equal(r.status, 0, r.stderr.toString());
  return JSON.parse(r.stdout.toString());
}

test('READY=1, WATCHDOG=1 at half of WATCHDOG_USEC, and the child does not see the socket', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'mcpl-notify-')), 'notify');
  const r = underSystemd(path, ['--supervise', '--', 'sh', '-c', 'echo "[$NOTIFY_SOCKET][$WATCHDOG_USEC]"; sleep 1'],
    { WATCHDOG_USEC: '200000' });
  assert.equal(r.code, 0);
  assert.equal(r.out.trim(), '[][]', 'NOTIFY_SOCKET and WATCHDOG_USEC not passed on');
  assert.equal(r.messages[0], 'WATCHDOG=1');  // the watchdog starts with the launcher
  assert.ok(r.messages.includes('READY=1\nSTATUS=running sh'), JSON.stringify(r.messages));
  const pings = r.messages.filter((m) => m === 'WATCHDOG=1').length;
  assert.ok(pings >= 9 && pings <= 13, `${pings} WATCHDOG=1 in about 1 s at a 100 ms period`);
});

test('an abstract socket; STATUS= on a restart; a WATCHDOG_PID of another process means no watchdog', () => {
  const r = underSystemd(`@mcpl-notify-${process.pid}`,
    ['--supervise', '--restart', 'always', '--', 'sh', '-c', 'exit 3'],
    { WATCHDOG_USEC: '100000', WATCHDOG_PID: '1' }, 1.5);
  assert.equal(r.code, 3);
  assert.ok(r.messages.includes('READY=1\nSTATUS=running sh'));
  assert.ok(r.messages.some((m) => m.startsWith('STATUS=sh ended (exit 3); restarting in 1s')));
  assert.ok(!r.messages.includes('WATCHDOG=1'));
});
