// Runs the built launcher (MCP_LAUNCH_BINARY) with a configuration and a clean environment.
import { spawn } from 'node:child_process';
import { tempDir } from './temp.mjs';

export { tempDir };

export const binary = process.env.MCP_LAUNCH_BINARY;
if (!binary) throw new Error('set MCP_LAUNCH_BINARY to the built mcp-launch');

const emptyHome = tempDir('mcpl-home-');

/**
 * Runs `mcp-launch ...args` with `config` (an object) in MCP_LAUNCH_CONFIG_JSON and only
 * PATH, HOME (an empty directory unless given) and `env` in its environment.
 * Resolves to { code, stdout, stderr, ms }. `command` runs instead of the launcher (strace).
 */
export function launch(args, { config, env = {}, timeoutMs = 30_000, command = binary } = {}) {
  const started = process.hrtime.bigint();
  const fullEnv = { PATH: process.env.PATH, HOME: emptyHome, ...env };
  if (config) fullEnv.MCP_LAUNCH_CONFIG_JSON = JSON.stringify(config);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? 128, signal, stdout, stderr,
                ms: Number(process.hrtime.bigint() - started) / 1e6 });
    });
  });
}

/** The environment the child saw, from `-- env -0`'s output. */
export function childEnv(stdout) {
  return Object.fromEntries(stdout.split('\0').filter(Boolean).map((l) => {
    const eq = l.indexOf('=');
    return [l.slice(0, eq), l.slice(eq + 1)];
  }));
}

/** `read --json` output ([{reference, value}], in order) as an object: reference → value. */
export function readJson(stdout) {
  return Object.fromEntries(JSON.parse(stdout).map(({ reference, value }) => [reference, value]));
}

/** The values `read --json` printed for `refs`, in their order. */
export function values(r, refs) {
  const out = readJson(r.stdout);
  return refs.map((x) => out[x]);
}
