import { startGatewayBehindContract, type GatewayBehindContract } from '../support/gateway-contract';
import { send, type ReceivedResponse } from '../support/http-client';

interface ClientInformation {
  readonly client_id: string;
  readonly client_secret?: string;
  readonly registration_access_token: string;
  readonly registration_client_uri: string;
  readonly redirect_uris: readonly string[];
  readonly client_name?: string;
}

function clientInformation(response: ReceivedResponse): ClientInformation {
  const body: unknown = JSON.parse(response.body);
  if (typeof body !== 'object' || body === null || !('client_id' in body) || !('registration_access_token' in body)) {
    throw new Error(`not client information: ${response.body}`);
  }
  return body as ClientInformation;
}

const json = ['Content-Type', 'application/json'] as const;
const bearer = (token: string) => ['Authorization', `Bearer ${token}`] as const;

describe('a client lifecycle through the built gateway on its embedded mock Authlete, held to openapi/dcr-gateway.yaml', () => {
  let gateway: GatewayBehindContract;

  beforeAll(async () => {
    // No AUTHLETE_* settings: the gateway starts the stateful mock inside its own process.
    gateway = await startGatewayBehindContract({});
  }, 60_000);
  afterAll(() => gateway?.stop());
  afterEach(() => {
    expect(gateway.violations()).toEqual([]);
  });

  it('says in a warning that it runs on the embedded mock', () => {
    expect(gateway.output()).toMatch(/"level":"warn".*embedded mock Authlete/);
  });

  it('registers, reads, updates, refuses a wrong token, deletes, and forgets the client', async () => {
    const registered = await send(`${gateway.url}/register`, {
      method: 'POST',
      headers: [json],
      body: JSON.stringify({ client_name: 'Lifecycle', redirect_uris: ['https://client.example.org/cb'] }),
    });
    expect(registered.status).toBe(201);
    expect(registered.headers['cache-control']).toBe('no-store');
    const client = clientInformation(registered);
    // The URI Authlete hands out must work as given: it is this gateway's own URL (here, the contract proxy's).
    expect(client.registration_client_uri).toBe(`${gateway.url}/register/${client.client_id}`);

    const read = await send(client.registration_client_uri, { method: 'GET', headers: [bearer(client.registration_access_token)] });
    expect(read.status).toBe(200);
    expect(clientInformation(read)).toMatchObject({ client_id: client.client_id, client_name: 'Lifecycle' });

    const updated = await send(client.registration_client_uri, {
      method: 'PUT',
      headers: [json, bearer(client.registration_access_token)],
      body: JSON.stringify({ client_id: client.client_id, client_name: 'Lifecycle', redirect_uris: ['https://client.example.org/cb2'] }),
    });
    expect(updated.status).toBe(200);
    expect(clientInformation(updated).redirect_uris).toEqual(['https://client.example.org/cb2']);

    const reread = await send(client.registration_client_uri, { method: 'GET', headers: [bearer(client.registration_access_token)] });
    expect(clientInformation(reread).redirect_uris).toEqual(['https://client.example.org/cb2']);

    const intruder = await send(client.registration_client_uri, {
      method: 'PUT',
      headers: [json, bearer('not-the-registration-access-token')],
      body: JSON.stringify({ client_id: client.client_id, redirect_uris: ['https://evil.example.com/cb'] }),
    });
    expect(intruder.status).toBe(401);
    expect(intruder.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    const unchanged = await send(client.registration_client_uri, { method: 'GET', headers: [bearer(client.registration_access_token)] });
    expect(clientInformation(unchanged).redirect_uris).toEqual(['https://client.example.org/cb2']);

    const deleted = await send(client.registration_client_uri, { method: 'DELETE', headers: [bearer(client.registration_access_token)] });
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBe('');

    const gone = await send(client.registration_client_uri, { method: 'GET', headers: [bearer(client.registration_access_token)] });
    expect(gone.status).toBe(401);
    expect(gone.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });

  it('relays the rules the mock enforces as Authlete would', async () => {
    const relative = await send(`${gateway.url}/register`, {
      method: 'POST',
      headers: [json],
      body: JSON.stringify({ redirect_uris: ['/callback'] }),
    });
    expect(relative.status).toBe(400);
    expect(JSON.parse(relative.body)).toMatchObject({ error: 'invalid_redirect_uri' });
  });
});
