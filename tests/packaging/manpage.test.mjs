// The man page is the reference (DESIGN §13): it names every option --help lists (of the
// launcher and of each command) and every environment variable the sources read, and groff
// renders it without a warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const launcher = process.env.MCP_LAUNCH_BINARY;
if (!launcher) throw new Error('set MCP_LAUNCH_BINARY to the built mcp-launch');
const page = join(root, 'packaging/mcp-launch.1');
// The page's text with roff's escapes undone: \- is a hyphen, \fB… a font change.
const text = readFileSync(page, 'utf8').replace(/\\-/g, '-').replace(/\\f[BIRP]/g, '').replace(/\\e/g, '\\');

test('every option of --help, of the launcher and of each command, is in the man page', () => {
  const helps = [[], ['check'], ['read'], ['list']].map((cmd) => execFileSync(launcher, [...cmd, '--help'], { encoding: 'utf8' }));
  const options = new Set();
  for (const help of helps)
    for (const m of help.matchAll(/^\s+((?:-\w,)?--[\w-]+)/gm))
      for (const name of m[1].split(',')) options.add(name);
  assert.ok(options.size >= 25, [...options].join(' '));
  const missing = [...options].filter((o) => !new RegExp(`(^|[^\\w-])${o}(?![\\w-])`).test(text));
  assert.deepEqual(missing, [], `options missing from ${page}`);
  for (const command of ['check', 'read', 'list', 'completion']) assert.match(text, new RegExp(`^\\.B ${command}$`, 'm'));
});

test('every environment variable the launcher reads is in the man page', () => {
  const sources = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(cpp|hpp)$/.test(name)) sources.push(readFileSync(path, 'utf8'));
    }
  };
  for (const dir of ['core', 'platform', 'providers', 'resolver', 'bridge', 'launcher']) walk(join(root, dir));
  // Every string literal written as an environment variable's name (NAME_WITH_UNDERSCORES)
  // names one; these are the ones without an underscore, and the lower-case proxy forms.
  const names = new Set(['HOME', 'PATH', 'https_proxy', 'no_proxy']);
  for (const source of sources)
    for (const m of source.matchAll(/"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"/g)) names.add(m[1]);
  assert.ok(names.size >= 45, [...names].join(' '));
  for (const name of ['HOME', 'PATH', 'https_proxy', 'no_proxy'])
    assert.ok(sources.some((s) => s.includes(`"${name}"`)), `${name} is no longer read: take it out of this test`);
  const missing = [...names].filter((n) => !new RegExp(`(^|[^\\w])${n}(?!\\w)`).test(text));
  assert.deepEqual(missing, [], `environment variables missing from ${page}`);
});

test('groff renders the page without a warning', () => {
  const r = spawnSync('groff', ['-man', '-ww', '-z', page], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
});
