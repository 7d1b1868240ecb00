// The Debian package as `cpack -G DEB` makes it from a packager's Release build (DESIGN §13):
// its metadata and contents, lintian, the packaged binary run from the extracted package,
// and the example unit through `systemd-analyze verify`. MCPL_DEB names the package.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const deb = process.env.MCPL_DEB;
if (!deb) throw new Error('set MCPL_DEB to the built .deb');
const version = /project\(mcp-launch VERSION ([\d.]+)/.exec(readFileSync(join(root, 'CMakeLists.txt'), 'utf8'))[1];

let dir;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcpl-deb-'));
  execFileSync('dpkg-deb', ['-x', deb, dir]);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('named and described as Debian expects, with no dependencies', () => {
  assert.equal(basename(deb), `mcp-launch_${version}_amd64.deb`);
  const field = (name) => execFileSync('dpkg-deb', ['-f', deb, name], { encoding: 'utf8' }).trim();
  assert.equal(field('Package'), 'mcp-launch');
  assert.equal(field('Version'), version);
  assert.equal(field('Architecture'), 'amd64');
  assert.equal(field('Section'), 'utils');
  assert.equal(field('Priority'), 'optional');
  assert.match(field('Maintainer'), /^[^<]+ <[^@\s]+@[^>\s]+>$/);
  assert.match(field('Description'), /^start MCP servers with secrets from secret stores\n .+/s);
  assert.equal(field('Depends'), '');
  const info = execFileSync('dpkg-deb', ['-I', deb], { encoding: 'utf8' });
  assert.match(info, /\bmd5sums\b/);
});

test('holds the binary, the man page, the docs, the examples and the completions; nothing else', () => {
  const files = execFileSync('dpkg-deb', ['-c', deb], { encoding: 'utf8' }).split('\n').filter(Boolean)
    .map((line) => line.split(/\s+/)).filter((f) => !f[0].startsWith('d'))
    .map((f) => ({ mode: f[0], owner: f[1], path: f[5].replace(/^\./, '') }));
  assert.deepEqual(files.map((f) => f.path).sort(), [
    '/usr/bin/mcp-launch',
    '/usr/share/bash-completion/completions/mcp-launch',
    '/usr/share/doc/mcp-launch/README.md',
    '/usr/share/doc/mcp-launch/changelog.gz',
    '/usr/share/doc/mcp-launch/copyright',
    '/usr/share/doc/mcp-launch/examples/Containerfile',
    '/usr/share/doc/mcp-launch/examples/config.json',
    '/usr/share/doc/mcp-launch/examples/mcp-launch@.service',
    '/usr/share/lintian/overrides/mcp-launch',
    '/usr/share/man/man1/mcp-launch.1.gz',
    '/usr/share/zsh/vendor-completions/_mcp-launch',
  ]);
  for (const f of files) {
    assert.equal(f.owner, 'root/root', f.path);
    assert.equal(f.mode, f.path === '/usr/bin/mcp-launch' ? '-rwxr-xr-x' : '-rw-r--r--', f.path);
  }
});

test('lintian: no error and no warning; the static binary is an override that says why', () => {
  const strict = spawnSync('lintian', ['--allow-root', '--fail-on', 'error,warning', deb], { encoding: 'utf8' });
  assert.equal(strict.status, 0, strict.stdout + strict.stderr);
  // (--show-overrides exits 2 here whatever it finds: only its report is read.)
  const r = spawnSync('lintian', ['--allow-root', '--show-overrides', deb], { encoding: 'utf8' });
  const tags = (r.stdout + r.stderr).split('\n').filter((l) => /^[EWIO]: /.test(l));
  assert.deepEqual(tags, ['O: mcp-launch: statically-linked-binary [usr/bin/mcp-launch]']);
  assert.match(readFileSync(join(dir, 'usr/share/lintian/overrides/mcp-launch'), 'utf8'), /^# .*static on purpose/m);
});

test('the packaged binary runs: static, stripped, the version of the package', () => {
  const bin = join(dir, 'usr/bin/mcp-launch');
  assert.match(execFileSync('file', [bin], { encoding: 'utf8' }), /statically linked.*stripped/);
  assert.match(execFileSync(bin, ['--version'], { encoding: 'utf8' }), new RegExp(`^mcp-launch ${version.replace(/\./g, '\\.')}( \\(commit [0-9a-f]+(-dirty)?\\))?\\n$`));
  const r = spawnSync(bin, ['--', 'sh', '-c', 'echo "got $T"'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', S: 'packaged-0001', T: '{{ env.S }}' } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'got packaged-0001\n');
  const man = gunzipSync(readFileSync(join(dir, 'usr/share/man/man1/mcp-launch.1.gz'))).toString();
  assert.match(man, new RegExp(`^\\.TH MCP-LAUNCH 1 \\S+ "mcp-launch ${version.replace(/\./g, '\\.')}"`, 'm'));
  assert.match(readFileSync(join(dir, 'usr/share/bash-completion/completions/mcp-launch'), 'utf8'), /^# bash completion for mcp-launch/);
  assert.match(readFileSync(join(dir, 'usr/share/zsh/vendor-completions/_mcp-launch'), 'utf8'), /^#compdef mcp-launch/);
  const changelog = gunzipSync(readFileSync(join(dir, 'usr/share/doc/mcp-launch/changelog.gz'))).toString();
  assert.match(changelog, new RegExp(`^mcp-launch \\(${version.replace(/\./g, '\\.')}\\) `));
});

test('systemd-analyze verify accepts the example unit, as installed from the package', (t) => {
  if (!existsSync('/usr/bin/systemd-analyze')) return t.skip('systemd-analyze is not installed (package systemd)');
  // The package's files and systemd's own units in one root, the unit where an admin puts it.
  const unitRoot = join(dir, 'verify');
  cpSync(join(dir, 'usr'), join(unitRoot, 'usr'), { recursive: true });
  cpSync('/usr/lib/systemd/system', join(unitRoot, 'usr/lib/systemd/system'), { recursive: true });
  mkdirSync(join(unitRoot, 'etc/systemd/system'), { recursive: true });
  cpSync(join(dir, 'usr/share/doc/mcp-launch/examples/mcp-launch@.service'), join(unitRoot, 'etc/systemd/system/mcp-launch@.service'));
  // --man=no: man(1) would look on this system, where the package is not installed.
  const r = spawnSync('systemd-analyze', ['verify', '--man=no', `--root=${unitRoot}`, 'mcp-launch@github.service'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
});
