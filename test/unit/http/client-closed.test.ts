import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { TOKENS } from '../../../src/composition/tokens';
import type { AuthorityAnswer } from '../../../src/domain/authority-answer';
import { decision } from '../../support/fake-authority';
import { gatewayWithFakeAuthority } from '../../support/gateway-under-test';
import { send } from '../../support/http-client';
import { testConfig } from '../../support/test-config';

const METADATA = '{"redirect_uris":["https://app.example.com/cb"]}';
const CREATED = JSON.stringify({ client_id: '8372615093', client_secret: 'cs-never-log-me', registration_access_token: 'rat-never-log-me' });

/** Sends a registration and hangs up once the authority has been asked, before any answer. */
function registerAndHangUp(url: string, requestId: string): ReturnType<typeof connect> {
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1', () =>
    socket.write(
      `POST /register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Request-Id: ${requestId}\r\n` +
        `Content-Length: ${METADATA.length}\r\n\r\n${METADATA}`,
    ),
  );
  socket.on('error', () => undefined);
  return socket;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((next) => setTimeout(next, 5));
}

describe('a client that hangs up before its answer', () => {
  const { authority, gateway } = gatewayWithFakeAuthority(testConfig());
  const guard = () => gateway().container.get(TOKENS.CallGuard);

  /** Registers, hangs up while the authority is asked, and only then lets the authority answer; resolves with the log line. */
  async function hangUpThenAnswer(requestId: string, late: AuthorityAnswer): Promise<Record<string, unknown> | undefined> {
    let answer: (value: AuthorityAnswer) => void = () => undefined;
    authority.received.length = 0;
    authority.answers(() => new Promise<AuthorityAnswer>((resolve) => (answer = resolve)));
    const socket = registerAndHangUp(gateway().url, requestId);
    await until(() => authority.received.length === 1);
    socket.destroy();
    await new Promise((next) => socket.once('close', next));
    // The hang-up has reached the gateway once the request's place is given back.
    await until(() => guard().load().admitted === 0);
    answer(late);
    await until(() => gateway().log.records().some((line) => line['requestId'] === requestId));
    return gateway().log.records().find((record) => record['requestId'] === requestId);
  }

  it('is logged as client_closed with the client_id Authlete created, and counted', async () => {
    const line = await hangUpThenAnswer('hung-up-1', decision('CREATED', CREATED));
    expect(line).toMatchObject({ level: 'warn', outcome: 'client_closed', abandoned: 'created', clientId: '8372615093' });
    // Taken on arrival: read once the client had gone, the address was empty.
    expect(line?.['clientIp']).toMatch(/127\.0\.0\.1$/);
    expect(gateway().log.text()).not.toContain('cs-never-log-me');

    const metrics = await send(`${gateway().adminUrl}/metrics`, { method: 'GET' });
    expect(metrics.body).toMatch(/dcr_requests_duration_seconds_count\{operation="register",outcome="client_closed",status="201"\} 1/);
  });

  it('is logged without a client_id when Authlete created none', async () => {
    const line = await hangUpThenAnswer('hung-up-2', decision('BAD_REQUEST', '{"error":"invalid_redirect_uri"}'));
    expect(line).toMatchObject({ level: 'info', outcome: 'client_closed', abandoned: 'bad_request' });
    expect(line).not.toHaveProperty('clientId');
  });
});

describe('a client that hangs up in the middle of its body', () => {
  const { gateway } = gatewayWithFakeAuthority(testConfig({ BODY_TIMEOUT_MS: 10_000 }));

  it('is logged as client_closed, not as a refusal: nobody received the 400', async () => {
    const requestId = 'plain-cut-short';
    const { port } = new URL(gateway().url);
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(
        `POST /register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Request-Id: ${requestId}\r\n` +
          `Content-Length: ${METADATA.length}\r\n\r\n${METADATA.slice(0, 10)}`,
        () => socket.destroy(),
      );
    });
    socket.on('error', () => undefined);
    await until(() => gateway().log.records().some((line) => line['requestId'] === requestId));
    const line = gateway().log.records().find((record) => record['requestId'] === requestId);
    expect(line).toMatchObject({ level: 'info', status: 400, outcome: 'client_closed' });
    expect(line).not.toHaveProperty('cutOff');
  });

  it('is done with at once, not after BODY_TIMEOUT_MS: its decoder and what it decoded are let go', async () => {
    const whole = gzipSync(Buffer.from(JSON.stringify({ redirect_uris: ['https://app.example.com/cb'], padding: 'x'.repeat(30_000) })));
    const requestId = 'compressed-cut-short';
    const { port } = new URL(gateway().url);
    const started = performance.now();
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(
        Buffer.concat([
          Buffer.from(
            `POST /register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nX-Request-Id: ${requestId}\r\n` +
              `Content-Length: ${whole.length}\r\n\r\n`,
          ),
          whole.subarray(0, whole.length - 8),
        ]),
        () => socket.destroy(),
      );
    });
    socket.on('error', () => undefined);
    await until(() => gateway().log.records().some((line) => line['requestId'] === requestId));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(gateway().log.records().find((line) => line['requestId'] === requestId)).toMatchObject({ status: 400, outcome: 'client_closed' });
  });
});
