import { startStatefulMock, type RunningStatefulMock } from '../../../mock/stateful/stateful-mock';
import { callMock, content, endpoint, post, SERVICE_ID, SERVICE_TOKEN, WEB_CLIENT } from './mock-calls';

const MAX_CLIENTS = 3;
const MAX_METADATA_BYTES = 64 * 1024;

function nested(depth: number): string {
  return `{"client_name":"deep","redirect_uris":["https://app.example.com/cb"],"x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

describe('stateful mock: what it keeps is bounded', () => {
  let mock: RunningStatefulMock;
  beforeAll(async () => {
    mock = await startStatefulMock({
      managementBaseUrl: 'https://as.example.com/register',
      serviceAccessToken: SERVICE_TOKEN,
      serviceId: SERVICE_ID,
      limits: { maxClients: MAX_CLIENTS, maxMetadataBytes: MAX_METADATA_BYTES },
    });
  });
  afterAll(() => mock.close());

  const register = (json: string) => callMock(mock.url, 'registration', { json });

  it('refuses metadata over the size limit with BAD_REQUEST, storing nothing', async () => {
    const big = JSON.stringify({ ...WEB_CLIENT, client_name: 'x'.repeat(MAX_METADATA_BYTES) });
    const decision = await register(big);
    expect(decision).toMatchObject({ action: 'BAD_REQUEST', resultCode: 'M202209' });
    expect(content(decision)).toMatchObject({ error: 'invalid_client_metadata' });
    expect(mock.clientCount()).toBe(0);
  });

  it('refuses metadata nested 30,000 deep before storing it, where it could never be written back out', async () => {
    const decision = await register(nested(30_000));
    expect(decision).toMatchObject({ action: 'BAD_REQUEST', resultCode: 'M202210' });
    expect(content(decision)).toMatchObject({ error: 'invalid_client_metadata' });
    expect(mock.clientCount()).toBe(0);
  });

  it('accepts nesting as deep as real metadata goes', async () => {
    const decision = await register(nested(20));
    expect(decision).toMatchObject({ action: 'CREATED' });
  });

  it('refuses a registration past the client limit, as a failed call, until a client is deleted', async () => {
    while (mock.clientCount() < MAX_CLIENTS) expect(await register(JSON.stringify(WEB_CLIENT))).toMatchObject({ action: 'CREATED' });
    const refused = await post(mock.url, endpoint('registration'), JSON.stringify({ json: JSON.stringify(WEB_CLIENT) }));
    expect(refused).toMatchObject({ status: 400, json: { resultCode: 'M001205', resultMessage: expect.stringContaining('MOCK_MAX_CLIENTS') } });
    expect(mock.clientCount()).toBe(MAX_CLIENTS);
  });
});
