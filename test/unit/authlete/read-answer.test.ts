import { readAnswer as readRaw } from '../../../src/adapters/authlete/read-answer';
import { ForeignTextScrubber } from '../../../src/adapters/logging/foreign-text';
import { Secret } from '../../../src/domain/secret';

interface Raw {
  readonly data?: unknown;
  readonly error?: unknown;
  readonly response: { readonly status: number; readonly headers?: Record<string, string> };
}

const SERVICE_TOKEN = 'svc-Zx81-never-log-me';
const CLIENT_TOKEN = 'iat-Q93k-never-log-me';

/** Reads the answer to a call that carried the service token and an initial access token. */
function readAnswer(raw: Raw) {
  const headers = new Headers(raw.response.headers);
  return readRaw({ ...raw, response: { status: raw.response.status, headers } }, () => new ForeignTextScrubber([new Secret(SERVICE_TOKEN), new Secret(CLIENT_TOKEN)]));
}

const ok = (data: unknown) => ({ data, response: { status: 200 } });

describe('readAnswer', () => {
  it('reads the action and responseContent and ignores everything else, unknown enums in client included', () => {
    const answer = readAnswer(
      ok({
        resultCode: 'A213001',
        resultMessage: 'updated',
        action: 'UPDATED',
        responseContent: '{"client_id":"1"}',
        client: { clientId: 1, clientType: 'SOMETHING_NEW', brandNewField: { nested: true } },
        anotherNewField: 7,
      }),
    );
    expect(answer).toEqual({ kind: 'decision', action: 'UPDATED', responseContent: '{"client_id":"1"}' });
  });

  it('reads a decision without responseContent', () => {
    expect(readAnswer(ok({ resultCode: 'A216001', action: 'DELETED' }))).toEqual({ kind: 'decision', action: 'DELETED' });
  });

  it('calls an action it does not know unexpected', () => {
    expect(readAnswer(ok({ action: 'PROCEED' }))).toEqual({
      kind: 'failure',
      failure: { cause: 'unexpected_action', action: 'PROCEED' },
    });
  });

  it.each([
    ['no body', undefined],
    ['a string', 'UPDATED'],
    ['no action', { resultCode: 'A213001', responseContent: '{}' }],
    ['a numeric action', { action: 3 }],
    ['a non-string responseContent', { action: 'UPDATED', responseContent: { client_id: '1' } }],
  ])('calls %s malformed', (_case, data) => {
    expect(readAnswer(ok(data))).toMatchObject({ kind: 'failure', failure: { cause: 'malformed_answer' } });
  });

  it('turns a refused call into an http_error with Authlete result code and message', () => {
    expect(readAnswer({ error: { resultCode: 'A001101', resultMessage: 'bad token' }, response: { status: 401 } })).toEqual({
      kind: 'failure',
      failure: { cause: 'http_error', status: 401, resultCode: 'A001101', resultMessage: 'bad token' },
    });
  });

  it('turns any status but 200 into an http_error, even with a decision-shaped body', () => {
    expect(readAnswer({ data: { action: 'UPDATED', responseContent: '{}' }, response: { status: 201 } })).toEqual({
      kind: 'failure',
      failure: { cause: 'http_error', status: 201 },
    });
    expect(readAnswer({ error: '<html>bad gateway</html>', response: { status: 502 } })).toEqual({
      kind: 'failure',
      failure: { cause: 'http_error', status: 502 },
    });
  });
});

describe("Authlete's 429 and 503", () => {
  const NOW = Date.parse('2026-12-01T10:00:00Z');
  const busy = (status: number, headers: Record<string, string>) => readAnswer({ error: '<html>busy</html>', response: { status, headers } });

  it.each([
    ['Retry-After in seconds', 429, { 'Retry-After': '7' }, 7],
    ['Retry-After as an HTTP date', 503, { 'Retry-After': new Date(NOW + 30_000).toUTCString() }, 30],
    ['RateLimit-Reset when there is no Retry-After', 429, { 'RateLimit-Reset': '12' }, 12],
    ['Retry-After before RateLimit-Reset', 429, { 'Retry-After': '3', 'RateLimit-Reset': '50' }, 3],
    ['a default when neither says', 503, {}, 5],
    ['at least one second', 429, { 'Retry-After': '0' }, 1],
    ['at most two minutes', 429, { 'Retry-After': '86400' }, 120],
    ['a date in the past as one second', 503, { 'Retry-After': 'Tue, 01 Dec 2026 09:00:00 GMT' }, 1],
    ['garbage as the default', 503, { 'Retry-After': 'soon' }, 5],
  ])('reads %s', (_name, status, headers, seconds) => {
    jest.useFakeTimers({ now: NOW });
    try {
      expect(busy(status, headers)).toEqual({ kind: 'failure', failure: { cause: 'rate_limited', status, retryAfterSeconds: seconds } });
    } finally {
      jest.useRealTimers();
    }
  });
});

describe("Authlete's own text on its way to the log", () => {
  it("loses the call's secrets, control characters and everything past 200 characters", () => {
    const message = `echo: Bearer ${SERVICE_TOKEN} {"token":"${CLIENT_TOKEN}"}\n{"level":"fatal"} ${'x'.repeat(500)}`;
    const answer = readAnswer({ error: { resultCode: 'A001101', resultMessage: message }, response: { status: 400 } });
    const logged = JSON.stringify(answer);
    expect(logged).not.toContain(SERVICE_TOKEN);
    expect(logged).not.toContain(CLIENT_TOKEN);
    expect(answer).toMatchObject({ failure: { resultMessage: expect.stringContaining('Bearer [redacted] {"token":"[redacted]"}') } });
    expect(answer.kind === 'failure' && answer.failure.cause === 'http_error' && answer.failure.resultMessage).toHaveLength(201);
    expect(logged).not.toContain('\\n{"level"');
  });

  it('scrubs an unexpected action the same way', () => {
    const answer = readAnswer(ok({ action: `PROCEED ${SERVICE_TOKEN}` }));
    expect(answer).toEqual({ kind: 'failure', failure: { cause: 'unexpected_action', action: 'PROCEED [redacted]' } });
  });
});
