// Prints figures, asserts nothing: what supervise mode adds on the MCP channel. The SDK's
// client calls server-everything's echo over stdio: the server direct, under
// `mcp-launch --supervise` (the child inherits stdio: nothing in between), and under
// `mcp-launch --supervise --restart always` (the session relay, a line at a time).
// Usage: MCP_LAUNCH_BINARY=build/launcher/mcp-launch node bench/supervise.mjs
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';

const require = createRequire(new URL('../tests/e2e/package.json', import.meta.url));
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StdioClientTransport } = require('@modelcontextprotocol/sdk/client/stdio.js');
const everything = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
const launcher = process.env.MCP_LAUNCH_BINARY;
const calls = Number(process.env.CALLS ?? 500);
const server = [process.execPath, everything, 'stdio'];
const ways = {
  direct: [server[0], server.slice(1)],
  supervise: [launcher, ['--quiet', '--supervise', '--', ...server]],
  'supervise + relay': [launcher, ['--quiet', '--supervise', '--restart', 'always', '--', ...server]],
};
const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length * p)];
const rows = [];
for (const [name, [command, args]] of Object.entries(ways)) {
  const transport = new StdioClientTransport({ command, args, env: { PATH: process.env.PATH }, stderr: 'ignore' });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  const call = () => client.callTool({ name: 'echo', arguments: { message: 'x' } });
  for (let i = 0; i < 50; i++) await call();
  const trips = [];
  for (let i = 0; i < calls; i++) {
    const t0 = process.hrtime.bigint();
    await call();
    trips.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  let rss = '';
  if (command === launcher) {
    const status = readFileSync(`/proc/${transport.pid}/status`, 'utf8');
    rss = `${(Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024).toFixed(1)} MiB`;
  }
  await client.close();
  rows.push({ name, p50: pct(trips, 0.5), p99: pct(trips, 0.99), rss, trips });
}
// BENCH_JSON: the figures and every sample, for bench/report.mjs.
if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(rows));
console.log(`supervise: SDK client -> server-everything over stdio, ${calls} sequential echo calls`);
console.log('way                  p50        p99       added p50   launcher peak RSS');
for (const r of rows)
  console.log(`${r.name.padEnd(20)} ${r.p50.toFixed(3).padStart(7)} ms ${r.p99.toFixed(3).padStart(7)} ms ${(r.p50 - rows[0].p50).toFixed(3).padStart(8)} ms   ${r.rss}`);
