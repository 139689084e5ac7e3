import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import { ConnectionCapPerAddress } from '../../../src/adapters/http/connection-cap-per-address';
import { TOKENS } from '../../../src/composition/tokens';
import { gatewayWithFakeAuthority } from '../../support/gateway-under-test';
import { rawExchange } from '../../support/http-client';
import { testConfig } from '../../support/test-config';

const PER_ADDRESS = 3;
const METADATA = '{"redirect_uris":["https://app.example.com/cb"]}';

/**
 * A registration that has passed its checks (the gateway sent 100 Continue) and then trickles no body: a
 * connection held in the middle of a request, from `from`.
 */
async function trickling(url: string, from: string): Promise<Socket> {
  const exchange = rawExchange(url, `POST /register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${METADATA.length}\r\n\r\n`, from);
  await exchange.received(/100 Continue/);
  return exchange.socket;
}

/** What a connection from `from` received before it closed, having asked for a path that a connection let in gets a 404 for. */
function answerFrom(url: string, from: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    let received = '';
    const socket = connect({ port: Number(port), host: '127.0.0.1', localAddress: from }, () => socket.write('GET /nothing-here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.once('close', () => resolve(received));
  });
}

describe('MAX_CONNECTIONS_PER_IP', () => {
  const { gateway } = gatewayWithFakeAuthority(testConfig({ MAX_CONNECTIONS: '10', MAX_CONNECTIONS_PER_IP: String(PER_ADDRESS) }));

  it('closes a connection on arrival once its address holds its most, and serves other addresses and the freed place', async () => {
    const held = await Promise.all(Array.from({ length: PER_ADDRESS }, () => trickling(gateway().url, '127.0.0.3')));

    // One more from the same address is closed before anything is read: no answer at all.
    expect(await answerFrom(gateway().url, '127.0.0.3')).toBe('');
    // Another address is not held back by it.
    expect(await answerFrom(gateway().url, '127.0.0.4')).toMatch(/^HTTP\/1\.1 \d{3} /);

    // A place the address gives back is its own again.
    const freed = held.pop();
    const gone = new Promise((resolve) => freed?.once('close', resolve));
    freed?.destroy();
    await gone;
    let answer = '';
    // The gateway hears of the close a moment after the client does: the first attempts may still find the place taken.
    while (answer === '') answer = await answerFrom(gateway().url, '127.0.0.3');
    expect(answer).toMatch(/^HTTP\/1\.1 \d{3} /);

    const metrics = await gateway().container.get(TOKENS.Metrics).registry.getSingleMetricAsString('dcr_connections_refused_per_ip_total');
    expect(Number(/\ndcr_connections_refused_per_ip_total (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    const warnings = gateway()
      .log.records()
      .filter((line) => line['msg'] === 'connections refused on arrival: their client address already had MAX_CONNECTIONS_PER_IP open');
    // However many were refused, one line within the minute.
    expect(warnings).toEqual([expect.objectContaining({ level: 'warn', maxConnectionsPerIp: PER_ADDRESS, refused: 1, clientIp: '127.0.0.3' })]);
    for (const socket of held) socket.destroy();
  });
});

describe('ConnectionCapPerAddress', () => {
  /** A connection as the cap sees it: its peer's address, destroy, and close. */
  class FakeSocket extends EventEmitter {
    destroyed = false;
    constructor(readonly remoteAddress: string | undefined) {
      super();
    }
    destroy(): void {
      this.destroyed = true;
      this.emit('close');
    }
  }
  const socket = (address: string | undefined): Socket => new FakeSocket(address) as unknown as Socket;

  it('counts an IPv6 client by its /64, so walking through its own block gains nothing', () => {
    const refused: string[] = [];
    const cap = new ConnectionCapPerAddress(2, () => refused.push('refused'));
    expect(cap.admit(socket('2001:db8:1:2::1'))).toBe(true);
    expect(cap.admit(socket('2001:db8:1:2:ffff::9'))).toBe(true);
    expect(cap.admit(socket('2001:db8:1:2::abcd'))).toBe(false);
    // The next /64 is another client.
    expect(cap.admit(socket('2001:db8:1:3::1'))).toBe(true);
    expect(refused).toEqual(['refused']);
  });

  it('counts an IPv4 client the same whether the socket reports it plain or mapped into IPv6', () => {
    const cap = new ConnectionCapPerAddress(1, () => undefined);
    expect(cap.admit(socket('192.0.2.7'))).toBe(true);
    expect(cap.admit(socket('::ffff:192.0.2.7'))).toBe(false);
  });

  it('gives a place back when its connection closes, and forgets an address with none open', () => {
    const cap = new ConnectionCapPerAddress(1, () => undefined);
    const first = socket('192.0.2.8');
    expect(cap.admit(first)).toBe(true);
    expect(cap.addresses).toBe(1);
    first.destroy();
    expect(cap.addresses).toBe(0);
    expect(cap.admit(socket('192.0.2.8'))).toBe(true);
  });

  it('destroys the connection it refuses, and does not count it', () => {
    const cap = new ConnectionCapPerAddress(1, () => undefined);
    const kept = socket('192.0.2.9');
    cap.admit(kept);
    const refused = socket('192.0.2.9');
    expect(cap.admit(refused)).toBe(false);
    expect(refused.destroyed).toBe(true);
    // Its close gives back no place it never had: the kept one still holds the only place.
    expect(cap.admit(socket('192.0.2.9'))).toBe(false);
  });
});
