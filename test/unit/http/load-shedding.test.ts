import { connect } from 'node:net';
import type { AuthorityAnswer } from '../../../src/domain/authority-answer';
import { decision } from '../../support/fake-authority';
import { gatewayWithFakeAuthority } from '../../support/gateway-under-test';
import { answerToPartialRequest, jsonBody, rawExchange, send } from '../../support/http-client';
import { testConfig } from '../../support/test-config';

const MAX_PENDING = 2;

const update = (url: string) =>
  send(`${url}/register/42`, {
    method: 'PUT',
    headers: [
      ['Authorization', 'Bearer rat-42'],
      ['Content-Type', 'application/json'],
    ],
    body: '{"client_id":"42"}',
  });

/** Sends only the head of a PUT that announces a large body, and resolves with whatever comes back before any of it is sent. */
function headWithoutBody(url: string): Promise<string> {
  return answerToPartialRequest(
    url,
    'PUT /register/42 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer rat-42\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n',
  );
}

describe('load shedding: past AUTHLETE_MAX_PENDING admitted requests, 503 at once and the body left unread', () => {
  const { authority, gateway } = gatewayWithFakeAuthority(testConfig({ AUTHLETE_MAX_PENDING: MAX_PENDING, AUTHLETE_MAX_CONNECTIONS: 1 }));
  const stalled: Array<(answer: AuthorityAnswer) => void> = [];
  beforeAll(() => {
    authority.answers(() => new Promise<AuthorityAnswer>((resolve) => stalled.push(resolve)));
  });

  it('refuses the next request before reading its body, and admits again once a place is free', async () => {
    const waiting = [update(gateway().url), update(gateway().url)];
    while (authority.received.length < MAX_PENDING) await new Promise((next) => setImmediate(next));

    const refused = await headWithoutBody(gateway().url);
    expect(refused).toMatch(/^HTTP\/1\.1 503 /);
    expect(refused).toMatch(/\r\nretry-after: 1\r\n/i);
    expect(refused).toMatch(/\r\ncache-control: no-store\r\n/i);
    expect(JSON.parse(refused.slice(refused.indexOf('\r\n\r\n') + 4))).toEqual({
      error: 'temporarily_unavailable',
      error_description: expect.any(String),
    });
    expect(authority.received).toHaveLength(MAX_PENDING);
    const logged = gateway().log.records().find((line) => line['status'] === 503);
    expect(logged).toMatchObject({ failure: { cause: 'overloaded', retryAfterSeconds: 1 } });

    for (const resolve of stalled.splice(0)) resolve(decision('UPDATED', '{"client_id":"42"}'));
    expect((await Promise.all(waiting)).map((answer) => answer.status)).toEqual([200, 200]);

    authority.answers(decision('UPDATED', '{"client_id":"42"}'));
    const admittedAgain = await update(gateway().url);
    expect(admittedAgain.status).toBe(200);
    expect(jsonBody(admittedAgain)).toEqual({ client_id: '42' });
  });

  it('refuses, once its body has arrived, a request that found a place free but whose body came after the last was taken', async () => {
    authority.answers(() => new Promise<AuthorityAnswer>((resolve) => stalled.push(resolve)));
    const body = '{"client_id":"42"}';
    const { socket: late, received } = rawExchange(
      gateway().url,
      `PUT /register/42 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer rat-42\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
    );
    await received(/^HTTP\/1\.1 100 Continue\r\n\r\n/);
    // Asked for its body: it held no place while it waited, so both go to requests that sent theirs.
    const before = authority.received.length;
    // Settled either way, so that a failure here is this test's, not an unhandled rejection after it.
    const waiting = [update(gateway().url), update(gateway().url)].map((sent) => sent.catch((error: unknown) => ({ status: String(error) })));
    const deadline = Date.now() + 2_000;
    while (authority.received.length < before + MAX_PENDING) {
      if (Date.now() > deadline) throw new Error('only one of the two updates reached Authlete: the request asked for its body held a place');
      await new Promise((next) => setImmediate(next));
    }
    late.write(body);
    const answer = (await received(/\}$/)).slice('HTTP/1.1 100 Continue\r\n\r\n'.length);
    late.destroy();
    expect(answer).toMatch(/^HTTP\/1\.1 503 /);
    expect(answer).toMatch(/\r\nretry-after: 1\r\n/i);
    expect(authority.received).toHaveLength(before + MAX_PENDING);
    for (const resolve of stalled.splice(0)) resolve(decision('UPDATED', '{"client_id":"42"}'));
    expect((await Promise.all(waiting)).map((response) => response.status)).toEqual([200, 200]);
  });

  it('frees the place of a request whose client hung up', async () => {
    authority.answers(() => new Promise<AuthorityAnswer>((resolve) => stalled.push(resolve)));
    const gone = Array.from({ length: MAX_PENDING }, () => {
      const { port } = new URL(gateway().url);
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.write('DELETE /register/42 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer rat-42\r\n\r\n'),
      );
      return socket;
    });
    const before = authority.received.length;
    while (authority.received.length < before + MAX_PENDING) await new Promise((next) => setImmediate(next));
    for (const socket of gone) socket.destroy();
    for (const resolve of stalled.splice(0)) resolve(decision('DELETED'));
    authority.answers(decision('UPDATED', '{"client_id":"42"}'));
    // Each place is given back when its response closes, however it closed.
    let answer = await update(gateway().url);
    while (answer.status === 503) answer = await update(gateway().url);
    expect(answer.status).toBe(200);
  });
});
