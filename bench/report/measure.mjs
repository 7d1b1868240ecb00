// What the report's measurements share: running a command and timing it (wall clock, and
// the peak RSS GNU time reports), and summarising samples.
import { spawn } from 'node:child_process';

/** Runs `command args` with `env`; resolves to { code, ms, rssKiB, stderr }. */
export function timed(command, args, { env = {}, stdin = 'ignore', rss = false } = {}) {
  const argv = rss ? ['-f', 'rss=%M', command, ...args] : args;
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(rss ? '/usr/bin/time' : command, argv, { env, stdio: [stdin, 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const m = /rss=(\d+)\s*$/.exec(stderr);
      resolve({ code, ms, rssKiB: m ? Number(m[1]) : undefined, stderr });
    });
  });
}

/** The value at fraction `p` (0–1) of the sorted samples. */
export const percentile = (xs, p) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
};
export const median = (xs) => percentile(xs, 0.5);
