// The demo's MCP client: connects to server-everything through mcp-launch, the way an MCP
// client's config would start it, and prints the JSON-RPC exchange.
import { createRequire } from "node:module";

const require = createRequire(new URL("../tests/e2e/package.json", import.meta.url));
const { Client } = await import(require.resolve("@modelcontextprotocol/sdk/client/index.js"));
const { StdioClientTransport } = await import(require.resolve("@modelcontextprotocol/sdk/client/stdio.js"));
const server = require.resolve("@modelcontextprotocol/server-everything/dist/index.js");

const short = (msg) => {
  const text = JSON.stringify(msg);
  return text.length > 160 ? text.slice(0, 157) + "..." : text;
};

const transport = new StdioClientTransport({
  command: process.env.MCP_LAUNCH_BINARY,
  args: ["--", process.execPath, server, "stdio"],
  env: {
    PATH: process.env.PATH,
    CREDENTIALS_DIRECTORY: process.env.CREDENTIALS_DIRECTORY,
    // What a user writes in the client's "env" block: a reference, not the token.
    GITHUB_PERSONAL_ACCESS_TOKEN: "{{ secrets.file.[github_token] }}",
  },
  stderr: "inherit",
});
const send = transport.send.bind(transport);
transport.send = async (msg) => {
  console.log("client -> server ", short(msg));
  return send(msg);
};
// Print each message as the transport reads it off the launcher's stdout.
const buffer = transport._readBuffer;
const readMessage = buffer.readMessage.bind(buffer);
buffer.readMessage = () => {
  const msg = readMessage();
  if (msg) console.log("server -> client ", short(msg));
  return msg;
};
const client = new Client({ name: "mcp-launch-demo", version: "1.0.0" });
await client.connect(transport);

const tools = await client.listTools();
console.log(`\n${tools.tools.length} tools: ${tools.tools.map((t) => t.name).join(", ")}\n`);
const result = await client.callTool({ name: "get-env", arguments: {} });
const env = JSON.parse(result.content[0].text);
console.log(`\nthe server's GITHUB_PERSONAL_ACCESS_TOKEN = ${env.GITHUB_PERSONAL_ACCESS_TOKEN}`);
console.log("(the client config held only {{ secrets.file.[github_token] }}; the value came from");
console.log(" $CREDENTIALS_DIRECTORY/github_token, in memory, and was never written anywhere)");
await client.close();
