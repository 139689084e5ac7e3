import { TOKENS } from '../../../src/composition/tokens';
import { decision } from '../../support/fake-authority';
import { gatewayWithFakeAuthority } from '../../support/gateway-under-test';
import { answerToPartialRequest, send } from '../../support/http-client';
import { testConfig } from '../../support/test-config';

const BODY_TIMEOUT_MS = 1_000;

const METADATA = JSON.stringify({ redirect_uris: ['https://app.example.com/cb'] });

const register = (url: string) => send(`${url}/register`, { method: 'POST', headers: [['Content-Type', 'application/json']], body: METADATA });

/** A registration whose body starts and never ends; resolves with the answer. */
function slowUpload(url: string): { readonly answer: Promise<string>; readonly startedAt: number } {
  const startedAt = performance.now();
  const head = 'POST /register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n';
  return { answer: answerToPartialRequest(url, `${head}{"redirect_uris":`), startedAt };
}

describe('BODY_TIMEOUT_MS: a body still arriving after it', () => {
  const { authority, gateway } = gatewayWithFakeAuthority(testConfig({ BODY_TIMEOUT_MS, AUTHLETE_MAX_PENDING: 1 }));
  const admitted = () => gateway().container.get(TOKENS.CallGuard).load().admitted;

  beforeAll(() => authority.answers(decision('CREATED', '{"client_id":"42"}')));

  it('is answered 408 invalid_request, and the place it held for Authlete is free at once', async () => {
    const slow = slowUpload(gateway().url);
    while (admitted() === 0) await new Promise((next) => setImmediate(next));
    // The one place is held while the body trickles in.
    expect((await register(gateway().url)).status).toBe(503);

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
    expect((await register(gateway().url)).status).toBe(201);
  });
});
