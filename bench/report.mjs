// Measures everything side by side on the machine at hand and writes docs/performance.md with
// its plots (docs/performance/*.png): start-up against what users run instead, resolution
// time against references for every store double and latency, memory, the remote bridge
// against the SDK direct and mcp-remote, the supervise relay. Asserts nothing.
// Usage: scripts/bench --report   (or MCP_LAUNCH_BINARY=… node bench/report.mjs)
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startup } from './report/startup.mjs';
import { resolution } from './report/resolution.mjs';
import { rotation } from './report/rotation.mjs';
import { startupPlot, resolutionPlots, memoryPlot, cdfPlot } from './report/plots.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const binary = process.env.MCP_LAUNCH_BINARY;
if (!binary) throw new Error('set MCP_LAUNCH_BINARY to the built mcp-launch');
const work = mkdtempSync(join(tmpdir(), 'mcpl-report-'));
const out = join(root, 'docs', 'performance');
const log = (text) => process.stderr.write(`report: ${text}\n`);

// bench/bridge.mjs and bench/supervise.mjs, run as they are, their samples written as JSON.
function sampled(script) {
  const file = join(work, `${script}.json`);
  const r = spawnSync(process.execPath, [join(root, 'bench', `${script}.mjs`)],
    { env: { ...process.env, BENCH_JSON: file }, stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 });
  if (r.status !== 0) throw new Error(`bench/${script}.mjs failed (${r.status})`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

const f = (x, digits = 1) => Number(x).toFixed(digits);
const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`,
  ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

try {
  log('start-up'); const starts = await startup({ binary, runs: Number(process.env.STARTUP_RUNS ?? 200) });
  log('resolution'); const res = await resolution({ binary, runs: Number(process.env.RESOLUTION_RUNS ?? 3) });
  log('bridge'); const bridge = sampled('bridge');
  log('supervise'); const supervise = sampled('supervise');
  log('rotation'); const rotations = await rotation({ binary, rotations: 7 });

  log('plots');
  startupPlot(work, starts);
  const resolutionNames = resolutionPlots(work, res);
  memoryPlot(work, res);
  cdfPlot(work, 'bridge', 'Remote server: round trip of sequential tools/call', bridge);
  cdfPlot(work, 'supervise', 'Supervise: round trip of sequential tools/call over stdio', supervise);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const png of readdirSync(work).filter((n) => n.endsWith('.png'))) copyFileSync(join(work, png), join(out, png));

  const commit = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD']).toString().trim();
  const version = execFileSync(binary, ['--version']).toString().trim();
  const kernel = execFileSync('uname', ['-r']).toString().trim();
  const at = (store, latencyMs, references) => res.find((r) => r.store === store && r.latencyMs === latencyMs && r.references === references);
  const stores = [...new Set(res.map((r) => r.store))];
  const latencies = [...new Set(res.map((r) => r.latencyMs))];
  const slow = Math.max(...latencies);
  const rounds = (r) => Math.round((r.ms - at(r.store, 0, r.references).ms) / r.latencyMs);
  const md = `# Performance

Measured in one run of \`scripts/bench --report\` on ${cpus().length} × ${cpus()[0].model.trim()}, Linux ${kernel},
${new Date().toISOString().slice(0, 10)}, ${version}, the repository at ${commit}. Every figure below was measured
side by side in that run, on loopback, against the test doubles of \`tests/stores\` (which
check signatures and tokens as the services do) and the official MCP SDK; the stores'
network latency is simulated by the doubles (every answer held back). Regenerate with
\`scripts/bench --report\` (a few minutes); the plots are \`docs/performance/*.png\`.

## Start-up

Spawn to exit of \`/bin/true\` through each way, ${starts[0].samples.length} runs each (dotenvx: ${starts.at(-1).samples.length}),
timed from Node (which adds its own spawn cost to every line alike).

![start-up](performance/startup.png)

${table(['way', 'median', '10th–90th percentile', 'peak RSS'], starts.map((r) =>
  [r.name, `${f(r.median, 2)} ms`, `${f(r.p10, 2)}–${f(r.p90, 2)} ms`, `${f(r.rssKiB / 1024)} MiB`]))}

## Resolution against the number of references

One store, N references to N different secrets, the launch's wall time (median of
${process.env.RESOLUTION_RUNS ?? 3} runs). The dashed line under each store is its floor: its own cost at one
reference with no latency (process, TLS handshake, signing), plus one round trip for each
step that must wait for the one before — a login, then one round of fetches. Vault with a
token has no login; AWS reads 20 secrets per \`BatchGetSecretValue\`; Infisical lists a
folder in one request.

${resolutionNames.map((n) => `![${n}](performance/${n}.png)`).join('\n')}

${table(['store', 'answer latency', 'references', 'wall time', 'floor', 'requests', 'connections'],
  res.filter((r) => r.references === 50 || r.references === 1000).map((r) =>
    [r.store, `${r.latencyMs} ms`, r.references, `${f(r.ms, 0)} ms`, `${f(r.floorMs, 0)} ms`, r.requests, r.connections]))}

**50 references at ${slow} ms per answer**, in round trips (the wall time less the same launch's
at 0 ms, divided by ${slow} ms): ${stores.map((s) => `${s} ${rounds(at(s, slow, 50))}`).join(', ')}. The floor is one
round trip for a store without a login (Vault with a token, AWS with keys) and two — the
login, then one round of fetches — for the others.
At most 64 connections are opened per store (\`maxConnections\`; docs/design.md,
"Connections per store", has the measurements behind that bound).

## Memory

![memory](performance/memory.png)

Peak RSS of the launcher: ${starts.filter((r) => r.name.startsWith('mcp-launch')).map((r) => `${r.name} ${f(r.rssKiB / 1024)} MiB`).join('; ')};
resolving 1000 references at ${slow} ms: ${stores.map((s) => `${s} ${f(at(s, slow, 1000).rssKiB / 1024)} MiB`).join(', ')};
the bridge: ${bridge.filter((r) => r.rss).map((r) => `${r.name} ${r.rss}`).join(', ')};
supervise: ${supervise.filter((r) => r.rss).map((r) => `${r.name} ${r.rss}`).join(', ')}.

## Remote servers: the bridge

The SDK's client calling the SDK's Streamable HTTP server over TLS on loopback: directly, through
\`mcp-launch --url\`, and through \`mcp-remote\` (npm). Sequential calls for the latency, 16 callers
at once for the throughput.

![bridge](performance/bridge.png)

${table(['way', 'start-up (p50)', 'round trip p50', 'p99', 'calls/s (16 callers)', 'peak RSS'], bridge.map((r) =>
  [r.name, `${f(r.startup)} ms`, `${f(r.p50, 3)} ms`, `${f(r.p99, 3)} ms`, f(r.throughput, 0), r.rss || '(in the client)']))}

## Supervise mode

The SDK's stdio client calling server-everything directly, under \`mcp-launch --supervise\` (the
child inherits stdio), and with the session relay (\`--restart always\`), a line at a time.

![supervise](performance/supervise.png)

${table(['way', 'round trip p50', 'p99', 'added p50'], supervise.map((r) =>
  [r.name, `${f(r.p50, 3)} ms`, `${f(r.p99, 3)} ms`, `${f(r.p50 - supervise[0].p50, 3)} ms`]))}

**Rotation** (\`--refresh 1s\`, \`cache.ttl\` 1 s, the Vault double): a value changed in the store at
time 0; the launcher noticed it at its next refresh (period plus up to 10 % splay, so anywhere in
the following second), stopped the child and started a new one with the new value:

${table(['rotation', 'change noticed', 'new child serving', 'stop + start'], rotations.rows.map((r, i) =>
  [i + 1, `${f(r.noticedMs, 0)} ms`, `${f(r.servingMs, 0)} ms`, `${f(r.restartMs, 2)} ms`]))}

Medians: noticed after ${f(rotations.noticed, 0)} ms, serving after ${f(rotations.serving, 0)} ms; the restart itself
${f(rotations.restart, 2)} ms (the child here stops at once on SIGTERM; a server that takes longer gets
\`--stop-timeout\`).
`;
  writeFileSync(join(root, 'docs', 'performance.md'), md);
  log(`wrote docs/performance.md and ${readdirSync(out).length} plots`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
