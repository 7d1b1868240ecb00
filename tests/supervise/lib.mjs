// Runs the built launcher in supervise mode with tests/support/sigcatch (SIGCATCH) as its
// child, reading the child's lines as they come.
import { spawn } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';

export const launcher = process.env.MCP_LAUNCH_BINARY;
export const sigcatch = process.env.SIGCATCH;
if (!launcher || !sigcatch) throw new Error('set MCP_LAUNCH_BINARY and SIGCATCH (build/tests/sigcatch)');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts `command args`; lines() is what it printed so far; exited resolves to {code, signal}. */
export function start(command, args, { env = {} } = {}) {
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH, ...env }, stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((r) => child.on('close', (code, signal) => r({ code, signal })));
  return {
    child,
    exited,
    lines: () => out.split('\n').filter(Boolean),
    stderr: () => err,
    /** Waits until a line matching `re` has been printed (or fails after `ms`): looked for
     * at once and at each write of the child's, not by polling. */
    waitFor(re, ms = 5000) {
      return new Promise((resolve, reject) => {
        const found = () => out.split('\n').find((l) => re.test(l));
        const onData = () => { const line = found(); if (line) { stop(); resolve(line); } };
        const timer = setTimeout(() => {
          stop();
          reject(new Error(`no line matching ${re} in ${JSON.stringify(out)}; stderr: ${err}`));
        }, ms);
        const stop = () => { clearTimeout(timer); child.stdout.off('data', onData); };
        child.stdout.on('data', onData);  // after the listener that collects `out`
        onData();
      });
    },
  };
}

/** The PIDs of the processes whose parent is `ppid`, with their state letter. */
export function childrenOf(ppid) {
  const path = `/proc/${ppid}/task/${ppid}/children`;
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split(' ').filter(Boolean).map((pid) => {
    let state = '?';
    try { state = /State:\s+(\S)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]; } catch { /* gone */ }
    return { pid: Number(pid), state };
  });
}

/** True while `pid` runs (a zombie, dead but not yet reaped by whoever adopted it, is not). */
export function alive(pid) {
  try {
    return /State:\s+[^Z]/.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}
