// Resolution time against the number of references (1 to 1000), for each store double, at
// 0, 20 and 100 ms per answer, over HTTPS on loopback: the launch's wall time, the requests
// and connections the double saw, and the launcher's peak RSS. The floor of each store is
// what no launcher can beat: its cost at one reference and no latency (process, handshake),
// plus one round trip per step that must wait for the one before (a login, then one fetch).
import { makeCertificates } from '../../tests/stores/lib/tls.mjs';
import { startVault } from '../../tests/stores/lib/vault.mjs';
import { startInfisical } from '../../tests/stores/lib/infisical.mjs';
import { startAws } from '../../tests/stores/lib/aws.mjs';
import { startGcp } from '../../tests/stores/lib/gcp.mjs';
import { startAzure } from '../../tests/stores/lib/azure.mjs';
import { tempDir } from '../../tests/stores/lib/temp.mjs';
import { timed, median } from './measure.mjs';

const STORES = [
  // name, double, rounds (login + fetch), configuration, reference of secret i, put secret i
  ['vault (token)', 'vault', 1, (d, ca) => ({ type: 'hashicorp_vault', configuration: { address: d.url, caFile: ca, token: d.token() } }),
    (i) => `bench/${i}`, (d, i) => d.put(`bench/${i}`, { value: `v-${i}` })],
  ['vault (AppRole)', 'vault', 2, (d, ca) => ({ type: 'hashicorp_vault', configuration: { address: d.url, caFile: ca,
    auth: { method: 'approle', roleId: 'role-id-1', secretId: 'secret-id-1' } } }), (i) => `bench/${i}`, () => {}],
  ['infisical', 'infisical', 2, (d, ca) => ({ type: 'infisical', configuration: { siteUrl: d.url, caFile: ca, projectId: 'proj-1',
    environment: 'prod', clientId: 'client-id-1', clientSecret: 'client-secret-1' } }), (i) => `KEY_${i}`, (d, i) => d.put(`KEY_${i}`, `i-${i}`)],
  ['aws', 'aws', 1, (d, ca) => ({ type: 'aws_secrets_manager', configuration: { region: 'us-east-1', endpoint: d.url, caFile: ca,
    ...d.issueKeys() } }), (i) => `bench/${i}`, (d, i) => d.put(`bench/${i}`, { string: `a-${i}` })],
  ['gcp', 'gcp', 2, (d, ca) => ({ type: 'gcp_secret_manager', configuration: { endpoint: d.url, caFile: ca,
    serviceAccountKey: d.serviceAccount() } }), (i) => `bench-${i}`, (d, i) => d.put(`bench-${i}`, `g-${i}`)],
  ['azure', 'azure', 2, (d, ca) => ({ type: 'azure_key_vault', configuration: { vaultUrl: d.url, authorityHost: d.authorityHost,
    caFile: ca, tenantId: d.state.tenant, clientId: 'app-client-id', clientSecret: 'app-client-secret~0001' } }),
    (i) => `bench-${i}`, (d, i) => d.put(`bench-${i}`, `z-${i}`)],
];
const START = { vault: startVault, infisical: startInfisical, aws: startAws, gcp: startGcp, azure: startAzure };

export async function resolution({ binary, counts = [1, 10, 50, 200, 1000], latencies = [0, 20, 100], runs = 3 }) {
  const certs = makeCertificates();
  const home = tempDir('mcpl-report-home-');
  const rows = [];
  try {
    for (const latencyMs of latencies) {
      const doubles = {};
      for (const [kind, start] of Object.entries(START)) doubles[kind] = await start({ tls: certs.localhost, latencyMs });
      try {
        for (const [name, kind, rounds, store, ref, put] of STORES) {
          const d = doubles[kind];
          for (let i = 0; i < Math.max(...counts); i++) put(d, i);
          for (const n of counts) {
            const env = { PATH: process.env.PATH, HOME: home, GCE_METADATA_HOST: '127.0.0.1:9',
              MCP_LAUNCH_CONFIG_JSON: JSON.stringify({ secretStores: [{ name: 's', ...store(d, certs.caFile) }] }) };
            for (let i = 0; i < n; i++) env[`S${i}`] = `{{ secrets.s.[${ref(i)}] }}`;
            // One launch unmeasured: the page cache and the double's first TLS session.
            if (n === counts[0]) await timed(binary, ['--log-level', 'warn', '--', '/bin/true'], { env });
            const walls = [], rss = [];
            let requests = 0, connections = 0;
            for (let r = 0; r < runs; r++) {
              d.dropIdle();
              const before = { ...d.stats };
              const out = await timed(binary, ['--log-level', 'warn', '--', '/bin/true'], { env, rss: true });
              if (out.code !== 0) throw new Error(`${name}, ${n} references: exit ${out.code}: ${out.stderr.slice(0, 300)}`);
              walls.push(out.ms);
              rss.push(out.rssKiB);
              requests = d.stats.requests - before.requests;
              connections = d.stats.connections - before.connections;
            }
            rows.push({ store: name, latencyMs, references: n, rounds, ms: median(walls), rssKiB: median(rss), requests, connections });
          }
        }
      } finally {
        await Promise.all(Object.values(doubles).map((d) => d.close()));
      }
    }
  } finally {
    certs.remove();
  }
  // The floor: the store's own cost at one reference and no latency, plus its rounds.
  for (const row of rows) {
    const base = rows.find((r) => r.store === row.store && r.latencyMs === 0 && r.references === 1);
    row.floorMs = (base ? base.ms : 0) + row.rounds * row.latencyMs;
  }
  return rows;
}
