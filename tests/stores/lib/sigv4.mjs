// SigV4 as AWS services check it, written apart from the launcher's C++ signer so that the
// two can only agree by both being right: sigv4.test.mjs runs this one over AWS's published
// vectors, and the Secrets Manager double verifies every request with it.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

// RFC 3986 unreserved characters stay; every other byte is %XX, upper case.
export function uriEncode(text, keepSlash = false) {
  let out = '';
  for (const byte of Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === '/')
      ? c : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function removeDotSegments(path) {
  const out = [];
  for (const seg of path.split('/')) {
    if (seg === '..') out.pop();
    else if (seg !== '' && seg !== '.') out.push(seg);
  }
  const joined = '/' + out.join('/');
  return path.endsWith('/') && out.length ? joined + '/' : joined;
}

// Percent-decoding to bytes: "%E1%88%B4" and the raw UTF-8 of U+1234 are the same three.
function decode(text) {
  const raw = Buffer.from(text, 'utf8');
  const out = [];
  for (let i = 0; i < raw.length; i++) {
    const hex = raw.toString('latin1', i + 1, i + 3);
    if (raw[i] === 0x25 && /^[0-9A-Fa-f]{2}$/.test(hex)) { out.push(parseInt(hex, 16)); i += 2; }
    else out.push(raw[i]);
  }
  return Buffer.from(out);
}

/**
 * The canonical request of SigV4. `path` is decoded; `query` is as sent; `headers` maps
 * lower-case names to a value or an array of values; only `signedHeaders` enter.
 */
export function canonicalRequest({ method, path, query = '', headers, signedHeaders, payloadHash, normalize = true }) {
  const params = query.split('&').filter(Boolean).map((p) => {
    const [k, ...v] = p.split('=');
    return [uriEncode(decode(k)), uriEncode(decode(v.join('=')))];
  }).sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const lines = signedHeaders.map((name) => {
    const values = [].concat(headers[name] ?? []);
    return `${name}:${values.map((v) => String(v).trim().replace(/\s+/g, ' ')).join(',')}`;
  });
  return [method, uriEncode(normalize ? removeDotSegments(path) : path, true),
    params.map(([k, v]) => `${k}=${v}`).join('&'), ...lines, '', signedHeaders.join(';'),
    payloadHash].join('\n');
}

export function stringToSign(amzDate, scope, canonical) {
  return ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
}

export function signature(secret, scope, toSign) {
  const [date, region, service] = scope.split('/');
  const key = hmac(hmac(hmac(hmac('AWS4' + secret, date), region), service), 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex');
}

export const payloadHash = (body) => sha256(body);

/**
 * Checks a request's SigV4 Authorization the way an AWS service does. `keys` maps access
 * key ids to {secret, sessionToken?, expired?}. Resolves to {akid} or {error: {type, message}}.
 */
export function verify(req, body, url, { keys, region, service, now = Date.now() }) {
  const deny = (type, message) => ({ error: { type, message } });
  const auth = req.headers.authorization ?? '';
  const m = auth.match(/^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/);
  if (!m) return deny('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const [, akid, date, scopeRegion, scopeService, signedList, given] = m;
  const key = keys.get(akid);
  if (!key) return deny('UnrecognizedClientException', 'The security token included in the request is invalid.');
  const amzDate = req.headers['x-amz-date'] ?? '';
  const when = Date.parse(amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
  if (!Number.isFinite(when)) return deny('IncompleteSignatureException', 'X-Amz-Date is missing or malformed.');
  if (Math.abs(now - when) > 5 * 60_000)
    return deny('InvalidSignatureException', `Signature expired: ${amzDate} is now earlier than the allowed skew.`);
  if (date !== amzDate.slice(0, 8) || scopeRegion !== region || scopeService !== service)
    return deny('InvalidSignatureException', `Credential should be scoped to a valid region and service '${service}'.`);
  const signedHeaders = signedList.split(';');
  for (const must of ['host', 'x-amz-date'])
    if (!signedHeaders.includes(must)) return deny('IncompleteSignatureException', `Signed headers must include '${must}'.`);
  if (key.sessionToken !== undefined && req.headers['x-amz-security-token'] !== key.sessionToken)
    return deny('UnrecognizedClientException', 'The security token included in the request is invalid.');
  if (key.expired || key.expires < Date.now()) return deny('ExpiredTokenException', 'The security token included in the request is expired');
  const hash = payloadHash(body);
  if (req.headers['x-amz-content-sha256'] !== undefined && req.headers['x-amz-content-sha256'] !== hash)
    return deny('InvalidSignatureException', 'The provided x-amz-content-sha256 header does not match what was computed.');
  const headers = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i].toLowerCase();
    (headers[name] ??= []).push(req.rawHeaders[i + 1]);
  }
  const canonical = canonicalRequest({ method: req.method, path: decodeURIComponent(url.pathname),
    query: url.search.slice(1), headers, signedHeaders, payloadHash: hash });
  const scope = `${date}/${region}/${service}/aws4_request`;
  const expected = signature(key.secret, scope, stringToSign(amzDate, scope, canonical));
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(given)))
    return deny('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
  return { akid };
}
