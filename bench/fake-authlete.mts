// A fast fake Authlete for the benchmark: the tests' scripted Authlete, answering every call at once with the
// same UPDATED decision (or, with ANSWER=CREATED, the same registration) and keeping no record of the calls.
// Run as its own process: [ANSWER=CREATED] node bench/fake-authlete.mts (prints "listening <port>").
import { startScriptedAuthlete } from '../test/support/scripted-authlete.mts';

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
const registers = process.env['ANSWER'] === 'CREATED';
const body = Buffer.from(
  JSON.stringify({
    resultCode: registers ? 'A202001' : 'A213001',
    resultMessage: registers ? '[A202001] The client has been registered.' : '[A213001] The client has been updated.',
    action: registers ? 'CREATED' : 'UPDATED',
    responseContent: clientInformation,
    client: { clientId: 5899463614448063, clientName: 'Benchmark Client', clientType: 'CONFIDENTIAL' },
  }),
);

const authlete = await startScriptedAuthlete({ kind: 'answer', status: 200, body }, { record: false });
process.stdout.write(`listening ${new URL(authlete.url).port}\n`);
process.on('SIGTERM', () => process.exit(0));
