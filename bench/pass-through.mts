// The physical limit for this shape of service: node:http in front, undici's request on a keep-alive pool
// behind, nothing else. It answers the update the way the gateway does, so both do the same work on the wire.
// Run as its own process: PORT=<port> UPSTREAM=<url> node bench/pass-through.mts
import { createServer } from 'node:http';
import { Pool } from 'undici';

const upstream = process.env['UPSTREAM'] ?? 'http://127.0.0.1:4010';
const pool = new Pool(upstream, { connections: 128 });
const headers = { 'content-type': 'application/json', authorization: 'Bearer bench-service-token' };

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const clientId = (req.url ?? '').slice('/register/'.length);
    const token = (req.headers.authorization ?? '').slice('Bearer '.length);
    const body = JSON.stringify({ clientId, token, json: Buffer.concat(chunks).toString('utf8') });
    pool
      .request({ path: '/api/bench/client/registration/update', method: 'POST', headers, body })
      .then((answer) => answer.body.json())
      .then((decision) => {
        const content = typeof decision === 'object' && decision !== null && 'responseContent' in decision ? String(decision.responseContent) : '';
        res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', Pragma: 'no-cache' });
        res.end(content);
      })
      .catch(() => {
        res.writeHead(502);
        res.end();
      });
  });
});
server.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address !== null ? address.port : 0}\n`);
});
process.on('SIGTERM', () => process.exit(0));
