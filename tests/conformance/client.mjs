// The client under test for the conformance suite's client scenarios: the official SDK's
// client over stdio, through the built mcp-launch bridging to the scenario's server (the last
// argument). Credentials from MCP_CONFORMANCE_CONTEXT reach the launcher as references in a
// config, as a user would write them, never on its command line.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../e2e/package.json', import.meta.url));
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StdioClientTransport } = require('@modelcontextprotocol/sdk/client/stdio.js');
const { ElicitRequestSchema } = require('@modelcontextprotocol/sdk/types.js');

const url = process.argv.at(-1);
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}');
const launcher = process.env.MCP_LAUNCH_BINARY;

const env = { PATH: process.env.PATH, HOME: mkdtempSync(join(tmpdir(), 'mcpl-conf-')) };
let args = ['--log-level', 'debug', '--url', url];
// A scenario about discovery gives no credentials: the bridge still follows discovery as far
// as it can, with credentials the server never gets to see.
if (scenario === 'auth/resource-mismatch' && !context.client_id)
  Object.assign(context, { client_id: 'conformance-client', client_secret: 'never-sent' });
if (context.client_id) {
  const oauth = { clientId: context.client_id };
  if (context.client_secret) {
    oauth.clientSecret = '{{ env.CONFORMANCE_CLIENT_SECRET }}';
    env.CONFORMANCE_CLIENT_SECRET = context.client_secret;
  }
  if (context.private_key_pem) {
    oauth.privateKey = '{{ env.CONFORMANCE_PRIVATE_KEY }}';
    env.CONFORMANCE_PRIVATE_KEY = context.private_key_pem;
    if (context.signing_algorithm) oauth.signingAlgorithm = context.signing_algorithm;
  }
  env.MCP_LAUNCH_CONFIG_JSON = JSON.stringify({ mcpServers: { conformance: { url, oauth } } });
  args = ['--log-level', 'debug', '--server', 'conformance'];
}

const transport = new StdioClientTransport({ command: launcher, args, env, stderr: 'inherit' });
const client = new Client({ name: 'mcp-launch-conformance', version: '1.0.0' },
  { capabilities: { elicitation: { form: { applyDefaults: true } }, sampling: {} } });
client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: {} }));
try {
  await client.connect(transport);
  const { tools } = await client.listTools();
  const byName = (name) => tools.find((t) => t.name === name);
  if (byName('add_numbers')) await client.callTool({ name: 'add_numbers', arguments: { a: 5, b: 3 } });
  for (const name of ['test_reconnection', 'test_client_elicitation_defaults'])
    if (byName(name)) await client.callTool({ name, arguments: {} });
  if (scenario.startsWith('auth/') && tools.length > 0)
    await client.callTool({ name: tools[0].name, arguments: {} }).catch(() => {});
  await client.close();
  process.exit(0);
} catch (e) {
  console.error(`conformance client (${scenario}): ${e.message}`);
  process.exit(1);
}
