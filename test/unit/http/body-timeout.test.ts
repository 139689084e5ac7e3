import { TOKENS } from '../../../src/composition/tokens';
import { decision } from '../../support/fake-authority';
import { gatewayWithFakeAuthority } from '../../support/gateway-under-test';
import { rawExchange, send } from '../../support/http-client';
import { testConfig } from '../../support/test-config';

const BODY_TIMEOUT_MS = 1_000;

const METADATA = JSON.stringify({ redirect_uris: ['https://app.example.com/cb'] });

const register = (url: string) => send(`${url}/register`, { method: 'POST', headers: [['Content-Type', 'application/json']], body: METADATA });

const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';

interface SlowUpload {
  /** Resolves once the gateway has asked for the body (its 100 Continue): from then on it is reading it. */
  readonly reading: Promise<void>;
  readonly answer: Promise<string>;
  readonly startedAt: number;
}

/** A registration whose body starts once the gateway asks for it, and never ends. */
function slowUpload(url: string): SlowUpload {
  const startedAt = performance.now();
  const { socket, received } = rawExchange(
    url,
    'POST /register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n',
  );
  const reading = received(new RegExp(`^${CONTINUE}`)).then(() => void socket.write('{"redirect_uris":'));
  const answer = received(/\}$/).then((text) => {
    socket.destroy();
    return text.slice(CONTINUE.length);
  });
  return { reading, answer, startedAt };
}

describe('BODY_TIMEOUT_MS: a body still arriving after it', () => {
  const { authority, gateway } = gatewayWithFakeAuthority(testConfig({ BODY_TIMEOUT_MS, AUTHLETE_MAX_PENDING: 1 }));
  const admitted = () => gateway().container.get(TOKENS.CallGuard).load().admitted;

  beforeAll(() => authority.answers(decision('CREATED', '{"client_id":"42"}')));

  it('is answered 408 invalid_request, and holds no place for Authlete while it trickles in', async () => {
    const slow = slowUpload(gateway().url);
    await slow.reading;
    // The one place is free for a client that sends its body: the slow one takes none while it waits.
    expect(admitted()).toBe(0);
    expect((await register(gateway().url)).status).toBe(201);

    const answer = await slow.answer;
    const elapsed = performance.now() - slow.startedAt;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toMatch(/\r\ncache-control: no-store\r\n/i);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({
      error: 'invalid_request',
      error_description: `The body did not arrive within ${BODY_TIMEOUT_MS} ms.`,
    });
    expect(elapsed).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 50);
    expect(admitted()).toBe(0);
    expect(authority.received).toHaveLength(1);
  });
});
