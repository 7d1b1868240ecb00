// Certificates made at test time with the openssl CLI: a test CA, a server certificate it
// signs for localhost/127.0.0.1/::1, one it signs for another host name, and a server
// certificate from a second CA the launcher is never told about.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function openssl(dir, ...args) {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir, name) {
  openssl(dir, 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj',
    `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
}

function makeLeaf(dir, ca, name, san) {
  openssl(dir, 'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
  writeFileSync(join(dir, `${name}.ext`),
    `subjectAltName=${san}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
  openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`,
    '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
  return {
    key: readFileSync(join(dir, `${name}.key`)),
    cert: readFileSync(join(dir, `${name}.pem`)),
  };
}

/** Makes every certificate the tests need in a fresh directory. */
export function makeCertificates() {
  const dir = mkdtempSync(join(tmpdir(), 'mcpl-tls-'));
  makeCa(dir, 'test-ca');
  makeCa(dir, 'stranger-ca');
  return {
    dir,
    caFile: join(dir, 'test-ca.pem'),
    localhost: makeLeaf(dir, 'test-ca', 'localhost', 'DNS:localhost,DNS:vault.internal.test,DNS:mcp.vault.azure.cn,IP:127.0.0.1,IP:::1'),
    otherHost: makeLeaf(dir, 'test-ca', 'other', 'DNS:vault.example.org'),
    untrusted: makeLeaf(dir, 'stranger-ca', 'stranger', 'DNS:localhost,IP:127.0.0.1'),
    remove() { rmSync(dir, { recursive: true, force: true }); },
  };
}
