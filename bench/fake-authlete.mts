// A fast fake Authlete for the benchmark: a registration is answered at once with the same CREATED decision, every
// other call with the same UPDATED decision.
// Run as its own process: PORT=<port> node bench/fake-authlete.mts
import { createServer } from 'node:http';

const clientInformation = JSON.stringify({
  client_id: '5899463614448063',
  client_id_issued_at: 1764150000,
  client_secret: 'kT7uBzD0W8qSx2mQ1aLr9v3YpHc5nJe4fGo6iXwUtZk',
  client_secret_expires_at: 0,
  registration_access_token: 'R3gAcc3ssT0ken-created-Qm9Yd2p8ZkLx',
  registration_client_uri: 'https://as.example.com/register/5899463614448063',
  client_name: 'Benchmark Client',
  redirect_uris: ['https://client.example.org/callback', 'https://client.example.org/callback2'],
  response_types: ['code'],
  grant_types: ['authorization_code', 'refresh_token'],
  token_endpoint_auth_method: 'client_secret_basic',
});
const answer = Buffer.from(
  JSON.stringify({
    resultCode: 'A213001',
    resultMessage: '[A213001] The client has been updated.',
    action: 'UPDATED',
    responseContent: clientInformation,
    client: { clientId: 5899463614448063, clientName: 'Benchmark Client', clientType: 'CONFIDENTIAL' },
  }),
);

const created = Buffer.from(
  JSON.stringify({
    resultCode: 'A202001',
    resultMessage: '[A202001] The client has been registered.',
    action: 'CREATED',
    responseContent: clientInformation,
    client: { clientId: 5899463614448063, clientName: 'Benchmark Client', clientType: 'CONFIDENTIAL' },
  }),
);

const server = createServer((req, res) => {
  const body = req.url?.endsWith('/client/registration') === true ? created : answer;
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address !== null ? address.port : 0}\n`);
});
process.on('SIGTERM', () => process.exit(0));
