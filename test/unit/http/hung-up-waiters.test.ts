import { connect, type Socket } from 'node:net';
import { TOKENS } from '../../../src/composition/tokens';
import { startGatewayUnderTest, type GatewayUnderTest } from '../../support/gateway-under-test';
import { send, type ReceivedResponse } from '../../support/http-client';
import { startScriptedAuthlete, updatedAnswer, type ScriptedAuthlete } from '../../support/scripted-authlete.mts';
import { testConfig } from '../../support/test-config';

const BODY = '{"client_id":"42"}';

const update = (gateway: GatewayUnderTest, requestId: string): Promise<ReceivedResponse> =>
  send(`${gateway.url}/register/42`, {
    method: 'PUT',
    headers: [
      ['Authorization', 'Bearer rat-42'],
      ['Content-Type', 'application/json'],
      ['X-Request-Id', requestId],
    ],
    body: BODY,
  });

/** The same update on a raw socket, for the test to hang up on. */
function updateToHangUpOn(gateway: GatewayUnderTest, requestId: string): Socket {
  const socket = connect(Number(new URL(gateway.url).port), '127.0.0.1', () =>
    socket.write(
      `PUT /register/42 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer rat-42\r\nContent-Type: application/json\r\n` +
        `X-Request-Id: ${requestId}\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`,
    ),
  );
  socket.on('error', () => undefined);
  return socket;
}

/** Looks again at each turn of the event loop (the guard's load has no event of its own); gives up well within the test's timeout, saying on what. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`still not so after 10 s: ${what}`);
    await new Promise((next) => setImmediate(next));
  }
}

async function gauges(gateway: GatewayUnderTest): Promise<{ admitted: number; waiting: number }> {
  const { body } = await send(`${gateway.adminUrl}/metrics`, { method: 'GET' });
  const read = (name: string): number => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(body)?.[1]);
  return { admitted: read('dcr_authority_admitted'), waiting: read('dcr_authority_calls_waiting') };
}

describe('requests whose client hung up while their call waited for a connection to Authlete', () => {
  let authlete: ScriptedAuthlete;
  let gateway: GatewayUnderTest;
  const load = () => gateway.container.get(TOKENS.CallGuard).load();
  beforeEach(async () => {
    authlete = await startScriptedAuthlete({ kind: 'hold' });
    // AUTHLETE_MAX_PENDING left to its default: twice the connections, 4.
    gateway = await startGatewayUnderTest(testConfig({ AUTHLETE_BASE_URL: authlete.url, AUTHLETE_MAX_CONNECTIONS: 2, AUTHLETE_TIMEOUT_MS: 10_000 }));
  });
  afterEach(async () => {
    await gateway.stop();
    await authlete.close();
  });

  /** `count` requests that queue behind the two held calls, then hang up; resolves once their places are given back. */
  async function hangUpWhileQueued(count: number, prefix: string): Promise<void> {
    const admittedBefore = load().admitted;
    const sockets = Array.from({ length: count }, (_, n) => updateToHangUpOn(gateway, `${prefix}-${n}`));
    await until(() => load().admitted === admittedBefore + count && load().waiting >= count, `${prefix}: queued`);
    for (const socket of sockets) socket.destroy();
    await until(() => load().admitted === admittedBefore, `${prefix}: places given back`);
  }

  it('keep no live request out: the next ones wait for a connection and are answered, not refused 503', async () => {
    const held = [update(gateway, 'a-1'), update(gateway, 'a-2')];
    await authlete.waitForCalls(2);
    // Two at a time: with the two held calls they take every place.
    await hangUpWhileQueued(2, 'b');
    await hangUpWhileQueued(2, 'c');
    // Nobody waits for those calls any more, and the metrics do not say anybody does.
    expect(await gauges(gateway)).toEqual({ admitted: 2, waiting: 0 });

    authlete.behave({ kind: 'answer', ...updatedAnswer() });
    const late = [update(gateway, 'd-1'), update(gateway, 'd-2')];
    // Queued behind the two held calls, or (the defect) refused at once: either way, done with before the release.
    await Promise.race([until(() => load().waiting === 2, 'd-1 and d-2 queued'), Promise.all(late)]);
    authlete.release(updatedAnswer());

    expect((await Promise.all([...held, ...late])).map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    // The four that hung up were never sent: dropped once their turn came.
    expect(authlete.count()).toBe(4);
    const gone = () => gateway.log.records().filter((line) => /^[bc]-/.test(String(line['requestId'])));
    await until(() => gone().length === 4, 'the four that hung up logged');
    for (const line of gone()) expect(line).toMatchObject({ outcome: 'client_closed', failure: { cause: 'abandoned' } });
  });

  it('are bounded: past three times AUTHLETE_MAX_PENDING calls left in the queue, a live one is refused 503 overloaded', async () => {
    const held = [update(gateway, 'a-1'), update(gateway, 'a-2')];
    await authlete.waitForCalls(2);
    // Room for 12 in the queue: 4 for live requests (one a place), 8 for calls whose client has gone, waiting to be dropped.
    for (const wave of [1, 2, 3, 4, 5, 6]) await hangUpWhileQueued(2, `gone-${wave}`);

    const refused = await update(gateway, 'refused');
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(gateway.log.records().find((line) => line['requestId'] === 'refused')).toMatchObject({ failure: { cause: 'overloaded' } });

    // Once a connection frees up, the dead entries are dropped unsent and the queue takes live calls again.
    authlete.behave({ kind: 'answer', ...updatedAnswer() });
    authlete.release(updatedAnswer());
    expect((await Promise.all(held)).map((answer) => answer.status)).toEqual([200, 200]);
    expect((await update(gateway, 'after')).status).toBe(200);
    expect(authlete.count()).toBe(3);
  });
});
