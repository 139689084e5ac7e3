import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { ADMIN_MAX_CONNECTIONS } from '../../../src/adapters/http/admin-server';
import { TOKENS } from '../../../src/composition/tokens';
import { decision } from '../../support/fake-authority';
import { gatewayWithFakeAuthority, type GatewayUnderTest } from '../../support/gateway-under-test';
import { send } from '../../support/http-client';
import { testConfig } from '../../support/test-config';

const MAX_CONNECTIONS = 3;
const HALF_OPEN = 20;

function open(url: string): Promise<Socket> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

/** A connection the gateway serves: it answers a probe on it. */
async function served(url: string): Promise<Socket> {
  const socket = await open(url);
  await new Promise<void>((resolve) => {
    socket.once('data', () => resolve());
    socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
  });
  return socket;
}

/** A connection that has sent the start of a request head and nothing more. */
async function unproven(url: string): Promise<Socket> {
  const socket = await open(url);
  socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\n');
  return socket;
}

function closed(socket: Socket): Promise<string> {
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  return new Promise((resolve) => socket.once('close', () => resolve(received)));
}

/** A counter's value, read in process: a request for /metrics would itself be a connection at the cap. */
/** A series of one listener's connection metric (`public` unless said), as a scrape reads it. */
async function counter(gateway: GatewayUnderTest, name: string, listener: 'public' | 'admin' = 'public'): Promise<number> {
  const text = await gateway.container.get(TOKENS.Metrics).registry.getSingleMetricAsString(name);
  return Number(new RegExp(`\\n${name}\\{listener="${listener}"\\} (\\d+)`).exec(text)?.[1]);
}

describe('connections', () => {
  const { gateway, authority } = gatewayWithFakeAuthority(testConfig({ MAX_CONNECTIONS }));

  it('are destroyed once the gateway answered what it could not parse, though the client keeps its side open', async () => {
    const { port } = new URL(gateway().url);
    const before = readdirSync('/proc/self/fd').length;
    // Half-open: the clients never end, destroy or write to their side again.
    const clients = await Promise.all(
      Array.from({ length: HALF_OPEN }, async () => {
        const socket = connect({ port: Number(port), host: '127.0.0.1', allowHalfOpen: true });
        let answer = '';
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
        socket.write('NOT HTTP AT ALL\r\n\r\n');
        await new Promise((ended) => socket.once('end', ended));
        return { socket, answer };
      }),
    );
    expect(clients.map(({ answer }) => answer.slice(0, 13))).toEqual(Array(HALF_OPEN).fill('HTTP/1.1 400 '));
    // Gateway and clients share this process: the clients' descriptors stay, the gateway's must go.
    while (readdirSync('/proc/self/fd').length > before + HALF_OPEN) await new Promise((next) => setTimeout(next, 10));
    for (const { socket } of clients) socket.destroy();
  });

  it(`past MAX_CONNECTIONS, each in the middle of a request, are closed on arrival, counted, and logged once per episode`, async () => {
    // The authority holds every read until the test lets go: the connections are busy, none idle.
    let arrived: () => void = () => {};
    const allArrived = new Promise<void>((resolve) => (arrived = resolve));
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let asked = 0;
    authority.answers(async () => {
      if (++asked === MAX_CONNECTIONS) arrived();
      await released;
      return decision('OK', '{"client_id":"42"}');
    });
    const busy = await Promise.all(Array.from({ length: MAX_CONNECTIONS }, () => open(gateway().url)));
    const answered = busy.map((socket) => {
      const first = new Promise<string>((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8'))));
      socket.write('GET /register/42 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer rat-42\r\n\r\n');
      return first;
    });
    await allArrived;

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

    // The requests in flight were never candidates: they are answered.
    release();
    expect((await Promise.all(answered)).map((head) => head.slice(0, 12))).toEqual(Array(MAX_CONNECTIONS).fill('HTTP/1.1 200'));
    for (const socket of busy) socket.destroy();
    // A place is free again once a new connection is served rather than closed on arrival (any answer will do:
    // the public listener has no probes); the metrics are read on the admin listener, which this limit does not bound.
    // The episode ends at the first connection let in with few enough open, which the closing of the others may
    // precede or follow.
    const calm = () => gateway().log.records().find((line) => line['msg'] === 'connections are below the limit again');
    while (calm() === undefined) await send(`${gateway().url}/health/live`, { method: 'GET' }).catch(() => undefined);
    const dropped = await counter(gateway(), 'dcr_connections_dropped_total');
    // The four, and any attempt to be served that came before the place was free.
    expect(dropped).toBeGreaterThanOrEqual(4);
    expect(calm()).toMatchObject({ dropped });
  });
});

describe('at MAX_CONNECTIONS, every connection having sent a request', () => {
  const { gateway } = gatewayWithFakeAuthority(testConfig({ MAX_CONNECTIONS }));

  it('the ones kept alive between two requests are closed to make room, and the new one is served', async () => {
    // Before, connections that had each sent a request held the cap for as long as they were kept alive.
    const idle = await Promise.all(Array.from({ length: MAX_CONNECTIONS }, () => served(gateway().url)));
    const idleClosed = idle.map((socket) => closed(socket));

    const answer = await send(`${gateway().url}/register/42`, { method: 'GET' });

    expect(answer.status).toBe(401);
    expect(await Promise.all(idleClosed)).toEqual(Array(MAX_CONNECTIONS).fill(''));
    expect(await counter(gateway(), 'dcr_connections_evicted_total')).toBe(MAX_CONNECTIONS);
    expect(await counter(gateway(), 'dcr_connections_dropped_total')).toBe(0);
  });
});

describe('at MAX_CONNECTIONS, a new connection', () => {
  const { gateway } = gatewayWithFakeAuthority(testConfig({ MAX_CONNECTIONS }));

  it('closes the oldest connection that has not sent a request head yet, and is served', async () => {
    // The cap is held by one served connection and two that never finish their request head.
    const proven = await served(gateway().url);
    const oldest = await unproven(gateway().url);
    const oldestClosed = closed(oldest);
    const younger = await unproven(gateway().url);
    let youngerClosed = false;
    younger.once('close', () => (youngerClosed = true));

    // A read without its token: the gateway's own 401, on the public listener the cap bounds.
    const answer = await send(`${gateway().url}/register/42`, { method: 'GET' });

    expect(answer.status).toBe(401);
    expect(await oldestClosed).toBe('');
    expect(youngerClosed).toBe(false);
    expect(await counter(gateway(), 'dcr_connections_evicted_total')).toBe(1);
    expect(await counter(gateway(), 'dcr_connections_dropped_total')).toBe(0);
    const warnings = gateway().log.records().filter((line) => String(line['msg']).startsWith('connection limit reached'));
    expect(warnings).toHaveLength(1);

    // The served connection, kept alive, was never a candidate: it still answers.
    const again = new Promise<string>((resolve) => proven.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8'))));
    proven.write('GET /register/42 HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await again).toMatch(/^HTTP\/1\.1 401 /);
    for (const socket of [proven, younger]) socket.destroy();
  });
});

describe('the admin listener', () => {
  const { gateway } = gatewayWithFakeAuthority(testConfig({ MAX_CONNECTIONS }));

  it(`holds at most ${ADMIN_MAX_CONNECTIONS} connections: idle ones beyond are closed, oldest first, and a probe is still answered`, async () => {
    // Before, every idle connection was kept: enough of them took every descriptor, the public listener's too.
    // The oldest twenty one after the other, so that they are the first the listener took in.
    const oldest: Socket[] = [];
    for (let i = 0; i < 20; i++) oldest.push(await open(gateway().adminUrl));
    const closedOnes = oldest.map((socket) => closed(socket));
    const idle = [...oldest, ...(await Promise.all(Array.from({ length: ADMIN_MAX_CONNECTIONS }, () => open(gateway().adminUrl))))];
    const probe = await send(`${gateway().adminUrl}/health/live`, { method: 'GET' });

    expect(probe.status).toBe(200);
    expect(await Promise.all(closedOnes)).toEqual(Array(20).fill(''));
    const warnings = gateway().log.records().filter((line) => String(line['msg']).startsWith('admin listener connection limit reached'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 'warn', listener: 'admin', maxConnections: ADMIN_MAX_CONNECTIONS });
    // Counted apart from the public listener's, which lost none.
    expect(await counter(gateway(), 'dcr_connections_evicted_total', 'admin')).toBeGreaterThanOrEqual(20);
    expect(await counter(gateway(), 'dcr_connections_evicted_total')).toBe(0);
    expect(await counter(gateway(), 'dcr_open_connections', 'admin')).toBeLessThanOrEqual(ADMIN_MAX_CONNECTIONS);
    for (const socket of idle) socket.destroy();
  });
});
