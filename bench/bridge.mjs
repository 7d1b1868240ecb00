// Prints figures, asserts nothing: the official SDK's client talking to the official SDK's
// Streamable HTTP server (over TLS on loopback) directly, through `mcp-launch --url`, and
// through `mcp-remote` (npm), in one run: start-up (spawn to initialized), round-trip
// latency of sequential calls (p50, p99), throughput with 16 concurrent callers, peak RSS of
// the bridge process.
// Usage: MCP_LAUNCH_BINARY=build/launcher/mcp-launch node bench/bridge.mjs
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCertificates } from '../tests/stores/lib/tls.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const launcher = process.env.MCP_LAUNCH_BINARY;
if (!launcher) throw new Error('set MCP_LAUNCH_BINARY to the built mcp-launch');

// Node's fetch reads NODE_EXTRA_CA_CERTS once, at start: the measuring process runs again
// with the test CA in it.
if (!process.env.MCPL_BENCH_CA) {
  const certs = makeCertificates();
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, MCPL_BENCH_CA: certs.dir, NODE_EXTRA_CA_CERTS: certs.caFile },
  });
  child.on('close', (code) => { certs.remove(); process.exit(code ?? 1); });
} else {
  await run(process.env.MCPL_BENCH_CA);
}

async function run(certDir) {
  const { Client } = await import('../tests/e2e/node_modules/@modelcontextprotocol/sdk/dist/esm/client/index.js');
  const { StdioClientTransport } = await import('../tests/e2e/node_modules/@modelcontextprotocol/sdk/dist/esm/client/stdio.js');
  const { StreamableHTTPClientTransport } = await import('../tests/e2e/node_modules/@modelcontextprotocol/sdk/dist/esm/client/streamableHttp.js');
  const { startRemote } = await import('../tests/e2e/lib/remote-server.mjs');
  const tls = {
    caFile: join(certDir, 'test-ca.pem'),
    localhost: { key: readFileSync(join(certDir, 'localhost.key')), cert: readFileSync(join(certDir, 'localhost.pem')) },
  };
  const TOKEN = 'bench-token-0123456789';
  const remote = await startRemote({ tls, mode: 'stateful', auth: { bearer: TOKEN } });
  const home = mkdtempSync(join(tmpdir(), 'mcpl-bench-home-'));
  const env = { PATH: process.env.PATH, HOME: home, SSL_CERT_FILE: tls.caFile,
    NODE_EXTRA_CA_CERTS: tls.caFile, REMOTE_TOKEN: TOKEN };
  const ways = {
    direct: () => new StreamableHTTPClientTransport(new URL(remote.url),
      { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }),
    'mcp-launch': () => new StdioClientTransport({ command: launcher, env, stderr: 'ignore',
      args: ['--log-level', 'warn', '--url', remote.url, '--header', 'Authorization: Bearer {{ env.REMOTE_TOKEN }}'] }),
    'mcp-remote': () => new StdioClientTransport({ command: process.execPath, env, stderr: 'ignore',
      args: [join(here, 'node_modules/mcp-remote/dist/proxy.js'), remote.url, '--header', `Authorization: Bearer ${TOKEN}`] }),
  };
  const startups = Number(process.env.STARTUPS ?? 10);
  const sequential = Number(process.env.CALLS ?? 300);
  const perCaller = Number(process.env.PER_CALLER ?? 100);
  const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
  const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
  const rows = [];
  for (const [name, make] of Object.entries(ways)) {
    const starts = [];
    for (let i = 0; i < startups; i++) {
      const t0 = process.hrtime.bigint();
      const client = new Client({ name: 'bench', version: '1' });
      const transport = make();
      await client.connect(transport);
      starts.push(ms(t0));
      await client.close();
    }
    const client = new Client({ name: 'bench', version: '1' });
    const transport = make();
    await client.connect(transport);
    const call = () => client.callTool({ name: 'echo', arguments: { text: 'x' } });
    for (let i = 0; i < 20; i++) await call();  // warm
    const trips = [];
    for (let i = 0; i < sequential; i++) {
      const t0 = process.hrtime.bigint();
      await call();
      trips.push(ms(t0));
    }
    const t0 = process.hrtime.bigint();
    await Promise.all(Array.from({ length: 16 }, async () => { for (let i = 0; i < perCaller; i++) await call(); }));
    const throughput = (16 * perCaller) / (ms(t0) / 1000);
    let rss = '';
    const pid = transport.pid ?? transport._process?.pid;
    if (pid) rss = `${(Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024).toFixed(1)} MiB`;
    await client.close();
    rows.push({ name, startup: pct(starts, 0.5), p50: pct(trips, 0.5), p99: pct(trips, 0.99), throughput, rss, trips, starts });
  }
  await remote.close();
  const direct = rows[0];
  // BENCH_JSON: the figures and every sample, for bench/report.mjs.
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(rows));
  console.log(`bridge: SDK client -> SDK Streamable HTTP server (TLS, loopback); ${startups} start-ups, ${sequential} sequential calls, 16 callers x ${perCaller} calls`);
  console.log('way          start-up(p50)  round trip p50   p99      added p50   calls/s   of direct   peak RSS');
  for (const r of rows) {
    console.log(`${r.name.padEnd(12)} ${r.startup.toFixed(1).padStart(8)} ms  ${r.p50.toFixed(3).padStart(8)} ms ${r.p99.toFixed(3).padStart(8)} ms ${(r.p50 - direct.p50).toFixed(3).padStart(8)} ms ${r.throughput.toFixed(0).padStart(8)} ${(100 * r.throughput / direct.throughput).toFixed(0).padStart(8)} %   ${r.rss || '(in the client)'}`);
  }
}
