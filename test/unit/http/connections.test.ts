import { connect, type Socket } from 'node:net';
import { TOKENS } from '../../../src/composition/tokens';
import { gatewayWithFakeAuthority } from '../../support/gateway-under-test';
import { send } from '../../support/http-client';
import { testConfig } from '../../support/test-config';

const MAX_CONNECTIONS = 3;

function open(url: string): Promise<Socket> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((next) => setTimeout(next, 10));
}

describe('connections', () => {
  const { gateway } = gatewayWithFakeAuthority(testConfig({ MAX_CONNECTIONS }));
  const server = () => gateway().container.get(TOKENS.GatewayServer);

  it('are destroyed once the gateway answered what it could not parse, though the client keeps its side open', async () => {
    const socket = await open(gateway().url);
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    // Half-open: the client never ends or destroys its side.
    socket.write('NOT HTTP AT ALL\r\n\r\n');
    await until(async () => (await server().openConnections()) === 0);
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    socket.destroy();
  });

  it(`past MAX_CONNECTIONS are closed on arrival, counted, and logged once per episode`, async () => {
    const held = await Promise.all(Array.from({ length: MAX_CONNECTIONS }, () => open(gateway().url)));
    await until(async () => (await server().openConnections()) === MAX_CONNECTIONS);

    const refused = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const socket = await open(gateway().url);
        let received = '';
        socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
        socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
        await new Promise((closed) => socket.once('close', closed));
        return received;
      }),
    );
    expect(refused).toEqual(['', '', '', '']);
    const warnings = gateway().log.records().filter((line) => String(line['msg']).startsWith('connection limit reached'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 'warn', maxConnections: MAX_CONNECTIONS });

    held[0]?.destroy();
    await until(async () => (await server().openConnections()) < MAX_CONNECTIONS);
    const metrics = await send(`${gateway().url}/metrics`, { method: 'GET' });
    expect(metrics.body).toMatch(/\ndcr_connections_dropped_total 4\n/);
    expect(gateway().log.records().find((line) => line['msg'] === 'connections are accepted again')).toMatchObject({ dropped: 4 });
    for (const socket of held) socket.destroy();
  });
});
