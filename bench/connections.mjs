// Prints figures, asserts nothing: how many connections a store should open at once. A Vault
// store with a token (one request per reference, the plainest case) resolves 50, 200 and
// 1000 references, every answer 100 ms late, with `maxConnections` 16 to 256: wall time,
// connections, the launcher's peak RSS. The default (docs/design.md: connections per store)
// is chosen from these figures.
// Usage: MCP_LAUNCH_BINARY=build/launcher/mcp-launch node bench/connections.mjs [runs]
import { makeCertificates } from '../tests/stores/lib/tls.mjs';
import { startVault } from '../tests/stores/lib/vault.mjs';
import { launch, binary } from '../tests/stores/lib/launch.mjs';

const runs = Number(process.argv[2] ?? 3);
const latencyMs = 100;
const certs = makeCertificates();
const vault = await startVault({ tls: certs.localhost, latencyMs });
const token = vault.token();
try {
  for (let i = 0; i < 1000; i++) vault.put(`bench/${i}`, { value: `vault-value-${i}` });
  console.log(`references  maxConnections  connections  wall median (ms)  peak RSS (KiB)   (${latencyMs} ms per answer, ${runs} runs)`);
  for (const refs of [50, 200, 1000]) {
    const env = Object.fromEntries(Array.from({ length: refs }, (_, i) => [`V${i}`, `{{ secrets.vault.[bench/${i}] }}`]));
    for (const bound of [16, 32, 64, 128, 256]) {
      const config = { secretStores: [{ name: 'vault', type: 'hashicorp_vault', configuration: {
        address: vault.url, caFile: certs.caFile, token, maxConnections: bound } }] };
      const walls = [], rss = [];
      let connections = 0;
      for (let r = 0; r < runs; r++) {
        vault.dropIdle();
        const before = vault.stats.connections;
        const out = await launch(['-f', '%M', binary, '--', 'true'], { config, env, command: '/usr/bin/time', timeoutMs: 60_000 });
        if (out.code !== 0) throw new Error(`exit ${out.code}: ${out.stderr.slice(0, 300)}`);
        walls.push(out.ms);
        rss.push(Number(out.stderr.trim().split('\n').at(-1)));
        connections = vault.stats.connections - before;
      }
      const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      console.log(`${String(refs).padStart(10)}  ${String(bound).padStart(14)}  ${String(connections).padStart(11)}  ` +
        `${median(walls).toFixed(0).padStart(16)}  ${String(median(rss)).padStart(14)}`);
    }
  }
} finally {
  await vault.close();
  certs.remove();
}
