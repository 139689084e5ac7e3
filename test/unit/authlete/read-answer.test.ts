import { readAnswer } from '../../../src/adapters/authlete/read-answer';

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
    expect(readAnswer({ error: '<html>busy</html>', response: { status: 503 } })).toEqual({
      kind: 'failure',
      failure: { cause: 'http_error', status: 503 },
    });
  });
});
