import { connect } from 'node:net';
import { decision } from '../../support/fake-authority';
import { gatewayWithFakeAuthority } from '../../support/gateway-under-test';
import { testConfig } from '../../support/test-config';

interface RawAnswer {
  /** Every status line received, interim (100 Continue) ones included, in order. */
  readonly statusLines: string[];
  readonly head: string;
  readonly body: string;
}

/**
 * Writes a request head, and its body only once `sendBodyAfter` appears in what came back (or at once when it is
 * undefined); resolves once a final answer with a JSON body arrived.
 */
function exchange(url: string, head: string, body = '', sendBodyAfter?: string): Promise<RawAnswer> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(sendBodyAfter === undefined ? head + body : head));
    let received = '';
    let bodySent = sendBodyAfter === undefined;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      if (!bodySent && sendBodyAfter !== undefined && received.includes(sendBodyAfter)) {
        bodySent = true;
        socket.write(body);
      }
      const final = received.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '');
      const end = final.indexOf('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(final)?.[1] ?? -1);
      if (end === -1 || final.length < end + 4 + length) return;
      socket.destroy();
      resolve({
        statusLines: received.split('\r\n').filter((line) => line.startsWith('HTTP/1.')),
        head: final.slice(0, end),
        body: final.slice(end + 4),
      });
    });
    socket.on('error', reject);
  });
}

function expectGatewayJson(answer: RawAnswer, status: number, error: string): void {
  expect(answer.statusLines.at(-1)).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
  expect(answer.head).toMatch(/\r\ncontent-type: application\/json\r\n/i);
  expect(answer.head).toMatch(/\r\ncache-control: no-store\r\n/i);
  expect(answer.head).toMatch(/\r\nx-request-id: /i);
  expect(JSON.parse(answer.body)).toEqual({ error, error_description: expect.any(String) });
}

const BODY = '{"client_id":"42"}';
const PUT_HEAD = (extra: string) =>
  `PUT /register/42 HTTP/1.1\r\n${extra}Authorization: Bearer rat-42\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\n`;

describe('request framing: Host and Expect get the gateway JSON, and 100 Continue waits for the bodiless checks', () => {
  const { authority, gateway } = gatewayWithFakeAuthority(testConfig());
  beforeAll(() => {
    authority.answers(decision('UPDATED', BODY));
  });

  it('refuses an HTTP/1.1 request without Host with 400 in JSON', async () => {
    expectGatewayJson(await exchange(gateway().url, 'GET /health/live HTTP/1.1\r\n\r\n'), 400, 'invalid_request');
    expectGatewayJson(await exchange(gateway().url, `${PUT_HEAD('')}\r\n`, BODY), 400, 'invalid_request');
    expect(authority.received).toHaveLength(0);
  });

  it('accepts an HTTP/1.0 request without Host', async () => {
    // A read without its token: answered by the gateway itself, past the framing checks.
    const answer = await exchange(gateway().url, 'GET /register/42 HTTP/1.0\r\n\r\n');
    expect(answer.statusLines).toEqual(['HTTP/1.1 401 Unauthorized']);
  });

  it('refuses two Host headers with 400 in JSON', async () => {
    const answer = await exchange(gateway().url, `${PUT_HEAD('Host: a.example\r\nHost: b.example\r\n')}\r\n`, BODY);
    expectGatewayJson(answer, 400, 'invalid_request');
    expect(authority.received).toHaveLength(0);
  });

  it('refuses two Content-Type headers with 400 in JSON: Node would keep the first, a proxy in front perhaps the other', async () => {
    const answer = await exchange(gateway().url, `${PUT_HEAD('Host: x\r\nContent-Type: text/plain\r\n')}\r\n`, BODY);
    expectGatewayJson(answer, 400, 'invalid_request');
    expect(authority.received).toHaveLength(0);
  });

  it('refuses an unknown expectation with 417 in JSON', async () => {
    const answer = await exchange(gateway().url, `${PUT_HEAD('Host: x\r\nExpect: 200-ok\r\n')}\r\n`, BODY);
    expectGatewayJson(answer, 417, 'invalid_request');
    expect(authority.received).toHaveLength(0);
  });

  it('answers Expect: 100-continue with the final refusal, and no 100, when a check that needs no body fails', async () => {
    const head = `PUT /register/42 HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YTpi\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\nExpect: 100-continue\r\n\r\n`;
    const answer = await exchange(gateway().url, head, BODY, 'HTTP/1.1 100 Continue');
    expect(answer.statusLines).toEqual(['HTTP/1.1 401 Unauthorized']);
    expect(authority.received).toHaveLength(0);
  });

  it.each([
    ['a media type other than JSON', 'Content-Type: text/plain\r\nContent-Length: 2\r\n', 415],
    ['a declared length over the limit', 'Content-Type: application/json\r\nContent-Length: 999999\r\n', 413],
    ['an encoding it cannot read', 'Content-Type: application/json\r\nContent-Encoding: zstd\r\nContent-Length: 2\r\n', 415],
  ])('answers Expect: 100-continue with the final refusal, and no 100, for %s', async (_case, headers, status) => {
    // Before, 100 Continue came first and invited the body these headers already condemned.
    const head = `POST /register HTTP/1.1\r\nHost: x\r\n${headers}Expect: 100-continue\r\n\r\n`;
    const answer = await exchange(gateway().url, head, '{}', 'HTTP/1.1 100 Continue');
    expect(answer.statusLines).toHaveLength(1);
    expectGatewayJson(answer, status, 'invalid_request');
  });

  it('answers a transfer coding other than chunked with 501, before Authlete is asked', async () => {
    // Before, `gzip, chunked` was read as chunked alone and its gzip bytes relayed, or refused as not UTF-8.
    const head = `PUT /register/42 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer rat-42\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n`;
    const answer = await exchange(gateway().url, head, `${BODY.length.toString(16)}\r\n${BODY}\r\n0\r\n\r\n`);
    expectGatewayJson(answer, 501, 'invalid_request');
    expect(authority.received).toHaveLength(0);
  });

  it('sends 100 Continue once those checks passed, then reads the body and answers', async () => {
    const answer = await exchange(gateway().url, `${PUT_HEAD('Host: x\r\nExpect: 100-Continue\r\n')}\r\n`, BODY, 'HTTP/1.1 100 Continue');
    expect(answer.statusLines).toEqual(['HTTP/1.1 100 Continue', 'HTTP/1.1 200 OK']);
    expect(authority.received).toEqual([expect.objectContaining({ metadataJson: BODY })]);
  });

  it.each([
    ['too long', 'a'.repeat(129)],
    ['with a space', 'a b'],
    ['with a quote', 'a"b'],
    ['with a non-ASCII letter', 'café'],
  ])('issues a fresh request ID for an offered one %s, and logs and echoes only that', async (_case, offered) => {
    const answer = await exchange(gateway().url, `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Request-Id: ${offered}\r\n\r\n`);
    const echoed = /\r\nx-request-id: ([^\r]*)/i.exec(answer.head)?.[1];
    expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
    expect(gateway().log.text()).not.toContain(offered);
  });
});
