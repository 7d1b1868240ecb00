// Run inside a network namespace where 169.254.169.254 is a local address (see
// metadata-proxy.test.mjs): the AWS doubles, EC2's metadata service at its real address, a
// proxy that counts every connection, and one launch that takes its credentials from IMDS
// with HTTPS_PROXY set. Prints what happened as one line of JSON.
import net from 'node:net';
import { makeCertificates } from './tls.mjs';
import { startAws } from './aws.mjs';
import { launch } from './launch.mjs';

const certs = makeCertificates();
const aws = await startAws({ tls: certs.localhost, region: 'eu-west-1' });
aws.put('mcp/imds', { string: 'from-imds-0001' });
const imdsPort = Number(new URL(aws.imdsUrl).port);
// EC2's address, relayed to the IMDS double.
const relay = net.createServer((c) => { const u = net.connect(imdsPort, '127.0.0.1'); c.pipe(u).pipe(c); c.on('error', () => u.destroy()); u.on('error', () => c.destroy()); });
await new Promise((r) => relay.listen(80, '169.254.169.254', r));
let proxied = 0;
const proxy = net.createServer((c) => { proxied++; c.destroy(); });
await new Promise((r) => proxy.listen(0, '127.0.0.1', r));

const r = await launch(['read', '{{ secrets.aws.[mcp/imds] }}'], {
  config: { secretStores: [{ name: 'aws', type: 'aws_secrets_manager' }] },
  env: { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url, AWS_CA_BUNDLE: certs.caFile,
    HTTPS_PROXY: `http://127.0.0.1:${proxy.address().port}`, https_proxy: `http://127.0.0.1:${proxy.address().port}` },
});
console.log(JSON.stringify({ ...r, imds: aws.state.calls.imds, proxied }));
relay.close();
proxy.close();
await aws.close();
certs.remove();
