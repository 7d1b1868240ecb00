// Prints figures, asserts nothing: 50 references to one store whose every answer takes
// 100 ms, resolved by the built launcher over HTTPS (DESIGN §12: about one round trip per
// store for authentication plus one for the fetch). Vault reads each path with its own
// request; Infisical reads one folder with one list request; AWS reads 20 secrets per
// BatchGetSecretValue, or each alone where the policy allows only GetSecretValue; GCP and
// Azure log in once (a token request) and read each secret with its own request.
// Usage: MCP_LAUNCH_BINARY=build/launcher/mcp-launch node bench/stores.mjs [runs]
import { makeCertificates } from '../tests/stores/lib/tls.mjs';
import { startVault } from '../tests/stores/lib/vault.mjs';
import { startInfisical } from '../tests/stores/lib/infisical.mjs';
import { startAws } from '../tests/stores/lib/aws.mjs';
import { startGcp } from '../tests/stores/lib/gcp.mjs';
import { startAzure } from '../tests/stores/lib/azure.mjs';
import { launch } from '../tests/stores/lib/launch.mjs';

const runs = Number(process.argv[2] ?? 5);
const latencyMs = 100;
const refs = 50;
const certs = makeCertificates();

async function measure(name, double, config, env) {
  const walls = [];
  let stats;
  for (let i = 0; i < runs; i++) {
    const before = { ...double.stats };
    double.dropIdle();
    const r = await launch(['--', 'true'], { config, env });
    if (r.code !== 0) throw new Error(`${name}: exit ${r.code}: ${r.stderr}`);
    walls.push(r.ms);
    stats = { requests: double.stats.requests - before.requests,
              connections: double.stats.connections - before.connections,
              maxInFlight: double.stats.maxInFlight, maxOpen: double.stats.maxOpen };
  }
  walls.sort((a, b) => a - b);
  const median = walls[Math.floor(walls.length / 2)];
  console.log(`${name}: ${refs} references, ${latencyMs} ms per answer, ${runs} runs`);
  console.log(`  requests per launch:     ${stats.requests}`);
  console.log(`  connections per launch:  ${stats.connections}`);
  console.log(`  most requests at once:   ${stats.maxInFlight}`);
  console.log(`  most connections open:   ${stats.maxOpen}`);
  console.log(`  wall time, median:       ${median.toFixed(0)} ms (min ${walls[0].toFixed(0)}, max ${walls.at(-1).toFixed(0)})`);
  console.log(`  sequential would take:   ${(stats.requests * latencyMs)} ms`);
}

const vault = await startVault({ tls: certs.localhost, latencyMs });
const infisical = await startInfisical({ tls: certs.localhost, latencyMs });
const aws = await startAws({ tls: certs.localhost, latencyMs });
const gcp = await startGcp({ tls: certs.localhost, latencyMs });
const azure = await startAzure({ tls: certs.localhost, latencyMs });
try {
  const venv = {};
  const ienv = {};
  const aenv = {};
  const genv = {};
  const zenv = {};
  for (let i = 0; i < refs; i++) {
    vault.put(`bench/${i}`, { value: `vault-value-${i}` });
    infisical.put(`KEY_${i}`, `infisical-value-${i}`);
    venv[`V${i}`] = `{{ secrets.vault.[bench/${i}] }}`;
    ienv[`I${i}`] = `{{ secrets.inf.[KEY_${i}] }}`;
    aws.put(`bench/${i}`, { string: `aws-value-${i}` });
    aenv[`A${i}`] = `{{ secrets.aws.[bench/${i}] }}`;
    gcp.put(`bench-${i}`, `gcp-value-${i}`);
    genv[`G${i}`] = `{{ secrets.gcp.[bench-${i}] }}`;
    azure.put(`bench-${i}`, `azure-value-${i}`);
    zenv[`Z${i}`] = `{{ secrets.azure.[bench-${i}] }}`;
  }
  await measure('vault, token', vault, { secretStores: [{ name: 'vault', type: 'hashicorp_vault',
    configuration: { address: vault.url, caFile: certs.caFile, token: vault.token() } }] }, venv);
  await measure('vault, AppRole login first', vault, { secretStores: [{ name: 'vault', type: 'hashicorp_vault',
    configuration: { address: vault.url, caFile: certs.caFile,
                     auth: { method: 'approle', roleId: 'role-id-1', secretId: 'secret-id-1' } } }] }, venv);
  await measure('infisical, universal auth', infisical, { secretStores: [{ name: 'inf', type: 'infisical',
    configuration: { siteUrl: infisical.url, caFile: certs.caFile, projectId: 'proj-1', environment: 'prod',
                     clientId: 'client-id-1', clientSecret: 'client-secret-1' } }] }, ienv);
  const awsConfig = { secretStores: [{ name: 'aws', type: 'aws_secrets_manager',
    configuration: { region: 'us-east-1', endpoint: aws.url, caFile: certs.caFile, ...aws.issueKeys() } }] };
  await measure('aws, BatchGetSecretValue', aws, awsConfig, aenv);
  aws.state.batchDenied = true;
  await measure('aws, GetSecretValue only (batch refused)', aws, awsConfig, aenv);
  await measure('gcp, service account key (JWT grant first)', gcp, { secretStores: [{ name: 'gcp',
    type: 'gcp_secret_manager', configuration: { endpoint: gcp.url, caFile: certs.caFile,
      serviceAccountKey: gcp.serviceAccount() } }] }, { ...genv, GCE_METADATA_HOST: '127.0.0.1:9' });
  await measure('azure, client secret (Entra ID token first)', azure, { secretStores: [{ name: 'azure',
    type: 'azure_key_vault', configuration: { vaultUrl: azure.url, authorityHost: azure.authorityHost,
      caFile: certs.caFile, tenantId: azure.state.tenant, clientId: 'app-client-id',
      clientSecret: 'app-client-secret~0001' } }] }, zenv);
} finally {
  await vault.close();
  await aws.close();
  await gcp.close();
  await azure.close();
  await infisical.close();
  certs.remove();
}
