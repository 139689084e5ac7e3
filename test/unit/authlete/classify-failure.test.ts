import { classifyFailure, errorCode, neverSent } from '../../../src/adapters/authlete/classify-failure';

function coded(code: string, message = code, cause?: unknown): Error {
  return Object.assign(new Error(message, { cause }), { code });
}

describe('classifyFailure', () => {
  it.each(['DEADLINE_EXCEEDED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])('calls %s a timeout', (code) => {
    expect(classifyFailure(coded(code), 1500)).toEqual({ cause: 'timeout', timeoutMs: 1500 });
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH'])('calls %s unreachable', (code) => {
    expect(classifyFailure(coded(code), 1500)).toEqual({ cause: 'unreachable', code });
  });

  it.each(['CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'])('calls %s a TLS failure', (code) => {
    expect(classifyFailure(coded(code), 1500)).toEqual({ cause: 'tls_failure', code });
  });

  it('calls a socket that closed mid-answer a lost connection, with the most telling code', () => {
    const closed = coded('UND_ERR_SOCKET', 'other side closed');
    expect(classifyFailure(closed, 1500)).toEqual({ cause: 'connection_lost', code: 'UND_ERR_SOCKET' });
    const reset = coded('UND_ERR_SOCKET', 'socket failed', coded('ECONNRESET'));
    expect(classifyFailure(reset, 1500)).toEqual({ cause: 'connection_lost', code: 'ECONNRESET' });
  });

  it('calls unparsable JSON and an oversized answer malformed', () => {
    expect(classifyFailure(new SyntaxError('Unexpected token'), 1500)).toMatchObject({ cause: 'malformed_answer' });
    expect(classifyFailure(coded('UND_ERR_RES_EXCEEDED_MAX_SIZE'), 1500)).toMatchObject({ cause: 'malformed_answer' });
  });

  it('looks inside a failed multi-address connect', () => {
    const error = new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], 'connect failed');
    expect(errorCode(error)).toBe('ECONNREFUSED');
    expect(neverSent(error)).toBe(true);
  });

  it('treats only a refused connection as never sent', () => {
    expect(neverSent(coded('ECONNREFUSED'))).toBe(true);
    expect(neverSent(coded('ECONNRESET'))).toBe(false);
    expect(neverSent(coded('UND_ERR_SOCKET'))).toBe(false);
  });
});
