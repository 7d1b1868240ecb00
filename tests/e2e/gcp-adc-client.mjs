// Run by gcp-adc.test.mjs in a process of its own (HOME, CLOUDSDK_CONFIG and
// NODE_EXTRA_CA_CERTS set before Node starts): google-auth-library finds Application Default
// Credentials where the test wrote them and obtains a token through the doubles — its
// transporter sends Google's token and IAM Credentials hosts to GCP_URL — then reads a secret
// with its request headers (the quota project among them). Prints what it got as JSON.
import { GoogleAuth } from 'google-auth-library';

const out = {};
const attempt = async (name, fn) => {
  try { out[name] = await fn(); } catch (e) { out[name] = { error: e.name, message: String(e.message).slice(0, 300) }; }
};
const base = process.env.GCP_URL;
const transporter = {
  interceptors: { request: new Set(), response: new Set() },
  async request(opts) {
    const url = String(opts.url).replace(/^https:\/\/(oauth2|iamcredentials)\.googleapis\.com/, base);
    const headers = Object.fromEntries(new Headers(opts.headers ?? {}));
    let body = opts.data ?? opts.body;
    if (body instanceof URLSearchParams) {
      body = body.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (body && typeof body === 'object') {
      body = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(url, { method: opts.method ?? 'GET', body, headers });
    const data = await res.json();
    if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}: ${JSON.stringify(data)}`), { response: { status: res.status, data } });
    return { status: res.status, data, headers: res.headers, config: opts };
  },
};

await attempt('adc', async () => {
  const auth = new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'], clientOptions: { transporter } });
  const client = await auth.getClient();
  // An impersonating client's source is made without the options: it gets the transporter here.
  if (client.sourceClient) client.sourceClient.transporter = transporter;
  const headers = Object.fromEntries(new Headers(await client.getRequestHeaders()));
  const res = await fetch(`${base}/v1/projects/proj-1/secrets/github-token/versions/latest:access`, { headers });
  const body = await res.json();
  return { type: client.constructor.name, status: res.status,
    value: body.payload ? Buffer.from(body.payload.data, 'base64').toString() : body };
});
console.log(JSON.stringify(out));
