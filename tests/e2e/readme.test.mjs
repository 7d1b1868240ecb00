// The README's examples, so that the documentation cannot drift from behaviour: the shell
// blocks marked `<!-- readme-test: run -->` run verbatim, in order, in a fresh home
// directory with the built binary where the README says it is; every other shell block is
// checked with `bash -n`; every JSON block must load as a config (`mcp-launch list -c`).
// The ini (systemd) and Dockerfile blocks have no checker on this machine and are not read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../stores/lib/temp.mjs';

const binary = process.env.MCP_LAUNCH_BINARY;
if (!binary) throw new Error('set MCP_LAUNCH_BINARY to the built mcp-launch');
const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../README.md'), 'utf8');

/** Fenced blocks: { lang, code, marker, line } — marker is the readme-test comment above it. */
function blocks(text) {
  const out = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i].match(/^(\s*)```(\w*)\s*$/);
    if (!open) continue;
    const indent = open[1].length;
    const body = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]); j++) body.push(lines[j].slice(indent));
    const above = lines[i - 1] ?? '';
    const marker = above.match(/<!-- readme-test: (.*) -->/)?.[1] ?? '';
    out.push({ lang: open[2], code: body.join('\n') + '\n', marker, line: i + 1 });
    i = j;
  }
  return out;
}

const all = blocks(readme);

test('the README has runnable examples and the test finds them', () => {
  assert.ok(all.filter((b) => b.marker.startsWith('run')).length >= 4);
  assert.ok(all.filter((b) => b.lang === 'json').length >= 8);
});

test('the marked shell examples run verbatim in a fresh home', () => {
  const home = tempDir('mcpl-readme-home-');
  const repo = tempDir('mcpl-readme-repo-');
  mkdirSync(join(repo, 'build/launcher'), { recursive: true });
  symlinkSync(binary, join(repo, 'build/launcher/mcp-launch'));
  // As a desktop session has it: PATH and HOME, ~/.local/bin first.
  const env = { HOME: home, PATH: `${home}/.local/bin:${process.env.PATH}` };
  for (const b of all.filter((x) => x.marker.startsWith('run'))) {
    const r = spawnSync('/bin/bash', ['-e', '-c', b.code], { cwd: repo, env, encoding: 'utf8' });
    assert.equal(r.status, 0, `README line ${b.line}:\n${b.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    const expect = b.marker.match(/expect "([^"]*)"/)?.[1];
    if (expect) assert.ok(r.stdout.includes(expect), `README line ${b.line}: no "${expect}" in:\n${r.stdout}`);
  }
});

test('every other shell example is valid bash', () => {
  for (const b of all.filter((x) => x.lang === 'sh' && !x.marker)) {
    const r = spawnSync('/bin/bash', ['-n'], { input: b.code, encoding: 'utf8' });
    assert.equal(r.status, 0, `README line ${b.line}: ${r.stderr}`);
  }
});

test('every JSON example loads as a config', () => {
  const dir = tempDir('mcpl-readme-json-');
  chmodSync(dir, 0o700);
  for (const [n, b] of all.filter((x) => x.lang === 'json').entries()) {
    const file = join(dir, `example-${n}.json`);
    writeFileSync(file, b.code, { mode: 0o600 });
    const r = spawnSync(binary, ['list', '-c', file], { env: { PATH: process.env.PATH, HOME: dir }, encoding: 'utf8' });
    assert.equal(r.status, 0, `README line ${b.line}:\n${b.code}\n${r.stderr}`);
    assert.ok(!r.stdout.includes('skipped'), `README line ${b.line}: an entry was skipped:\n${r.stdout}`);
  }
});

test('the help lists the commands the README documents', () => {
  const help = execFileSync(binary, ['--help'], { encoding: 'utf8' });
  for (const usage of readme.match(/^mcp-launch [a-z]+ \[OPTIONS\]/gm) ?? [])
    assert.ok(help.includes(usage), `${usage} is not in --help`);
});
