// A real MCP client (@modelcontextprotocol/sdk) talks over stdio to a real MCP server
// (@modelcontextprotocol/server-everything) that mcp-launch started with a secret from the
// built-in `file` store, and with one from a Vault double over HTTPS. MCP_LAUNCH_BINARY
// names the launcher under test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const launcher = process.env.MCP_LAUNCH_BINARY;
assert.ok(launcher, "set MCP_LAUNCH_BINARY to the built mcp-launch");
const require = createRequire(import.meta.url);
const server = require.resolve("@modelcontextprotocol/server-everything/dist/index.js");

const SECRET = "ghp_e2eSecretValue0123456789abcdef";
const STORE_DIR_SECRET = "store-dir-credential-path";

function fixture() {
  const dir = mkdtempSync(join(tmpdir(), "mcpl-e2e-"));
  writeFileSync(join(dir, "github_token"), SECRET, { mode: 0o600 });
  const config = join(dir, "claude_desktop_config.json");
  // The file a Claude Desktop user already has, with secret stores added.
  writeFileSync(config, JSON.stringify({
    secretStores: [{ name: "creds", type: "file",
                     configuration: { directory: "{{ env.CREDS_DIR }}" },
                     mappings: [{ name: "github", secretIdentifier: "github_token" }] }],
    mcpServers: {
      everything: { command: process.execPath, args: [server, "stdio"],
                    env: { GITHUB_PERSONAL_ACCESS_TOKEN: "{{ secrets.creds.github }}" } },
    },
  }), { mode: 0o600 });
  return { dir, config, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function connect(args, env) {
  const transport = new StdioClientTransport({ command: launcher, args, env, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (d) => { stderr += d; });
  const errors = [];
  const client = new Client({ name: "mcp-launch-e2e", version: "1.0.0" });
  client.onerror = (e) => errors.push(e);
  await client.connect(transport);
  return { client, errors, stderr: () => stderr };
}

async function getEnv(client) {
  const result = await client.callTool({ name: "get-env", arguments: {} });
  return JSON.parse(result.content[0].text);
}

test("wrap mode: the client's env block holds a reference; the server sees the secret", async () => {
  const f = fixture();
  try {
    const { client, errors, stderr } = await connect(
      ["--", process.execPath, server, "stdio"],
      { PATH: process.env.PATH, CREDENTIALS_DIRECTORY: f.dir,
        GITHUB_PERSONAL_ACCESS_TOKEN: "{{ secrets.file.[github_token] }}" });
    const tools = await client.listTools();
    assert.ok(tools.tools.some((t) => t.name === "get-env"), "server-everything lists get-env");
    const env = await getEnv(client);
    assert.equal(env.GITHUB_PERSONAL_ACCESS_TOKEN, SECRET);
    await client.close();
    assert.deepEqual(errors, [], "the client saw only valid JSON-RPC");
    assert.ok(!stderr().includes(SECRET), "the launcher's stderr holds no secret");
  } finally {
    f.cleanup();
  }
});

test("--server mode from a Claude Desktop config; the store's credential stays with the launcher", async () => {
  const f = fixture();
  try {
    const { client, errors } = await connect(
      ["-c", f.config, "--server", "everything"],
      { PATH: process.env.PATH, CREDS_DIR: f.dir, UNRELATED: STORE_DIR_SECRET });
    const env = await getEnv(client);
    assert.equal(env.GITHUB_PERSONAL_ACCESS_TOKEN, SECRET);
    assert.equal(env.CREDS_DIR, undefined, "a variable the store consumed does not reach the server");
    assert.equal(env.UNRELATED, STORE_DIR_SECRET, "other variables do");
    await client.close();
    assert.deepEqual(errors, []);
  } finally {
    f.cleanup();
  }
});

test("stdout carries only the server's JSON-RPC, even at trace level", async () => {
  const f = fixture();
  try {
    const child = spawn(launcher, ["--log-level", "trace", "-c", f.config, "--server", "everything"],
                        { env: { PATH: process.env.PATH, CREDS_DIR: f.dir }, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr.on("data", (d) => { err += d; });
    const firstLine = new Promise((resolve) => {
      child.stdout.on("data", (d) => {
        out += d;
        if (out.includes("\n")) resolve();
      });
    });
    child.stdin.write(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: {
      protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } }) + "\n");
    await firstLine;
    child.stdin.end();
    await new Promise((resolve) => child.on("close", resolve));
    const lines = out.split("\n").filter((l) => l.length > 0);
    assert.ok(lines.length >= 1);
    for (const line of lines) {
      const msg = JSON.parse(line);
      assert.equal(msg.jsonrpc, "2.0");
    }
    assert.equal(JSON.parse(lines[0]).id, 1);
    assert.ok(err.includes("resolved"), "the launcher logged to stderr");
    assert.ok(!err.includes(SECRET), "no secret in trace logs");
  } finally {
    f.cleanup();
  }
});

test("a Vault store over HTTPS: the server gets its secret, not the Vault token", async () => {
  const { makeCertificates } = await import("../stores/lib/tls.mjs");
  const { startVault } = await import("../stores/lib/vault.mjs");
  const certs = makeCertificates();
  const vault = await startVault({ tls: certs.localhost });
  const dir = mkdtempSync(join(tmpdir(), "mcpl-e2e-vault-"));
  try {
    vault.put("mcp/github", { token: SECRET, owner: "acme" });
    const token = vault.token(["mcp/"]);
    const config = join(dir, "mcp.json");
    // A VS Code mcp.json with a Vault store: the address and CA from VAULT_ADDR/VAULT_CACERT.
    writeFileSync(config, JSON.stringify({
      secretStores: [{ name: "vault", type: "hashicorp_vault", configuration: {},
                       mappings: [{ name: "github", secretIdentifier: "mcp/github#token" }] }],
      servers: { everything: { type: "stdio", command: process.execPath, args: [server, "stdio"],
                               env: { GITHUB_PERSONAL_ACCESS_TOKEN: "{{ secrets.vault.github }}",
                                      GITHUB_OWNER: "{{ secrets.vault.[mcp/github#owner] }}" } } },
    }), { mode: 0o600 });
    const { client, errors, stderr } = await connect(["-c", config, "--server", "everything"], {
      PATH: process.env.PATH, VAULT_ADDR: vault.url, VAULT_CACERT: certs.caFile, VAULT_TOKEN: token });
    const env = await getEnv(client);
    assert.equal(env.GITHUB_PERSONAL_ACCESS_TOKEN, SECRET);
    assert.equal(env.GITHUB_OWNER, "acme");
    assert.equal(env.VAULT_TOKEN, undefined, "the Vault token stays with the launcher");
    assert.equal(env.VAULT_ADDR, vault.url);
    assert.equal(vault.stats.requests, 1, "two keys of one path: one request");
    await client.close();
    assert.deepEqual(errors, []);
    assert.ok(!stderr().includes(SECRET) && !stderr().includes(token));
  } finally {
    await vault.close();
    certs.remove();
    rmSync(dir, { recursive: true, force: true });
  }
});
