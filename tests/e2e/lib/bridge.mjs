// Drives the built launcher as a stdio↔remote bridge: with the official SDK's client (as an
// MCP client would), or line by line for the cases where the exit code matters.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

export const launcher = process.env.MCP_LAUNCH_BINARY;
if (!launcher) throw new Error('set MCP_LAUNCH_BINARY to the built mcp-launch');
const home = mkdtempSync(join(tmpdir(), 'mcpl-bridge-home-'));

export function bridgeEnv(tls, env = {}) {
  return { PATH: process.env.PATH, HOME: home, SSL_CERT_FILE: tls.caFile, ...env };
}

/** The SDK client connected through `mcp-launch ...args`; stderr gathered. */
export async function connectClient(args, env, { capabilities = {} } = {}) {
  const transport = new StdioClientTransport({ command: launcher, args, env, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (d) => { stderr += d; });
  const client = new Client({ name: 'bridge-e2e', version: '1.0.0' }, { capabilities });
  await client.connect(transport);
  return { client, transport, stderr: () => stderr };
}

/**
 * Runs `mcp-launch ...args` with `lines` written to its stdin one by one (each after the
 * answer to the one before, when it is a request), and resolves to
 * { code, messages, stderr, rest, ms } when it exits. `raw`: stdout is not JSON-RPC (check),
 * and all of it is `rest`. `keepOpen`: stdin stays open until the
 * launcher exits by itself.
 */
export function runBridge(args, env, lines, { keepOpen = false, timeoutMs = 20_000, command = launcher, raw = false } = {}) {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    const messages = [];
    let waiting = null;
    child.stdout.on('data', (d) => {
      out += d;
      let nl;
      while (!raw && (nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        const m = JSON.parse(line);  // every stdout line is one whole message
        messages.push(m);
        if (waiting && m.id === waiting.id && !m.method) { const w = waiting; waiting = null; w.resolve(); }
      }
    });
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdin.on('error', () => {});
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (waiting) waiting.resolve();
      resolve({ code: code ?? 128 + 9, signal, messages, stderr, rest: out,
        ms: Number(process.hrtime.bigint() - started) / 1e6 });
    });
    (async () => {
      for (const line of lines) {
        if (child.exitCode !== null) break;
        child.stdin.write((typeof line === 'string' ? line : JSON.stringify(line)) + '\n');
        if (line.id !== undefined && line.method) {
          await new Promise((r) => { waiting = { id: line.id, resolve: r }; });
        }
      }
      if (!keepOpen) child.stdin.end();
    })();
  });
}

export const initialize = (id = 0, protocolVersion = '2025-06-18') => ({
  jsonrpc: '2.0', id, method: 'initialize',
  params: { protocolVersion, capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
export const initialized = { jsonrpc: '2.0', method: 'notifications/initialized' };
export const call = (id, name, args = {}) => ({
  jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args },
});
