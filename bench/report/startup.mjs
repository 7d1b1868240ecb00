// Start-up: what the launcher adds to starting a program, beside what users run instead —
// `true`, `env true` (the least an exec wrapper costs), mcp-launch in exec and supervise
// mode, mcp-launch with 20 `env` references, and `dotenvx run` with the same 20 variables
// in a .env file (what many users run to inject secrets). Every sample kept, for the spread.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { timed, median, percentile } from './measure.mjs';

const dotenvx = fileURLToPath(new URL('../node_modules/.bin/dotenvx', import.meta.url));

export async function startup({ binary, runs = 200, slowRuns = 40 }) {
  const dir = mkdtempSync(join(tmpdir(), 'mcpl-startup-'));
  try {
    const base = { PATH: process.env.PATH, HOME: dir };
    const refs = { ...base };
    const dotenv = [];
    for (let i = 1; i <= 20; i++) {
      refs[`SRC${i}`] = `env-secret-${i}`;
      refs[`E${i}`] = `{{ env.SRC${i} }}`;
      dotenv.push(`E${i}=env-secret-${i}`);
    }
    writeFileSync(join(dir, '.env'), dotenv.join('\n') + '\n');
    const ways = [
      ['true', '/bin/true', [], base, runs],
      ['env true', '/usr/bin/env', ['/bin/true'], base, runs],
      ['mcp-launch -- true', binary, ['--log-level', 'warn', '--', '/bin/true'], base, runs],
      ['mcp-launch --supervise -- true', binary, ['--log-level', 'warn', '--supervise', '--', '/bin/true'], base, runs],
      ['mcp-launch, 20 env references', binary, ['--log-level', 'warn', '--', '/bin/true'], refs, runs],
      ['dotenvx run, 20 variables', dotenvx, ['run', '-q', '-f', join(dir, '.env'), '--', '/bin/true'], base, slowRuns],
    ];
    const rows = [];
    for (const [name, command, args, env, n] of ways) {
      for (let i = 0; i < 5; i++) await timed(command, args, { env });  // warm the page cache
      const samples = [];
      for (let i = 0; i < n; i++) {
        const r = await timed(command, args, { env });
        if (r.code !== 0) throw new Error(`${name}: exit ${r.code}: ${r.stderr.slice(0, 300)}`);
        samples.push(r.ms);
      }
      const rss = (await timed(command, args, { env, rss: true })).rssKiB;
      rows.push({ name, samples, median: median(samples), p10: percentile(samples, 0.1),
                  p90: percentile(samples, 0.9), rssKiB: rss });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
