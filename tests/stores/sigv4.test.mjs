// The SigV4 checker of the AWS doubles, run over AWS's published vectors: a double that
// verified signatures wrongly would pass a wrong signer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { canonicalRequest, stringToSign, signature, payloadHash } from './lib/sigv4.mjs';

const suite = fileURLToPath(new URL('../../../shared/testdata/aws-sigv4-test-suite/', import.meta.url));
const absent = !existsSync(suite) &&
  `${suite} is absent: AWS's SigV4 vectors live beside the project, in ../shared/testdata`;

// request.txt as the C++ test reads it: request line, headers (indented lines continue the
// one before), empty line, body.
function parseRequest(text) {
  const [head, ...rest] = text.split('\n\n');
  const lines = head.split('\n');
  const first = lines.shift();
  const method = first.slice(0, first.indexOf(' '));
  const target = first.slice(method.length + 1, first.lastIndexOf(' HTTP/'));
  const headers = {};
  let last;
  for (const line of lines) {
    if (!line) continue;
    if (/^[ \t]/.test(line)) { headers[last][headers[last].length - 1] += ' ' + line; continue; }
    const colon = line.indexOf(':');
    last = line.slice(0, colon).toLowerCase();
    (headers[last] ??= []).push(line.slice(colon + 1));
  }
  const q = target.indexOf('?');
  return { method, path: q < 0 ? target : target.slice(0, q), query: q < 0 ? '' : target.slice(q + 1),
           headers, body: rest.join('\n\n') };
}

test('the doubles\' SigV4 checker agrees with every published header-signing case', { skip: absent }, () => {
  let cases = 0;
  for (const name of readdirSync(suite)) {
    const dir = suite + name + '/';
    if (!existsSync(dir + 'context.json')) continue;
    const ctx = JSON.parse(readFileSync(dir + 'context.json', 'utf8'));
    const req = parseRequest(readFileSync(dir + 'request.txt', 'utf8'));
    const amzDate = ctx.timestamp.replace(/[-:]/g, '');
    req.headers['x-amz-date'] = [amzDate];
    if (ctx.credentials.token && !ctx.omit_session_token) req.headers['x-amz-security-token'] = [ctx.credentials.token];
    const hash = payloadHash(req.body);
    if (ctx.sign_body) req.headers['x-amz-content-sha256'] = [hash];
    const canonical = canonicalRequest({ ...req, signedHeaders: Object.keys(req.headers).sort(),
      payloadHash: hash, normalize: ctx.normalize });
    assert.equal(canonical, readFileSync(dir + 'header-canonical-request.txt', 'utf8'), name);
    const scope = `${amzDate.slice(0, 8)}/${ctx.region}/${ctx.service}/aws4_request`;
    const toSign = stringToSign(amzDate, scope, canonical);
    assert.equal(toSign, readFileSync(dir + 'header-string-to-sign.txt', 'utf8'), name);
    assert.equal(signature(ctx.credentials.secret_access_key, scope, toSign),
      readFileSync(dir + 'header-signature.txt', 'utf8'), name);
    cases++;
  }
  assert.ok(cases >= 30, `${cases} cases`);
});
