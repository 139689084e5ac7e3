import type { AuthorityFailure } from '../../domain/authority-failure';

// Errors raised before a connection existed: the request cannot have reached Authlete.
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const TLS_FAILURE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/;
const TIMED_OUT = new Set(['DEADLINE_EXCEEDED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly cause?: unknown;
  readonly errors?: unknown;
}

// Errors are read by shape, not by `instanceof`: undici's errors may come from another realm (a test VM, say).
function isErrorLike(value: unknown): value is ErrorLike {
  return typeof value === 'object' && value !== null;
}

function* errorChain(error: unknown): Generator<ErrorLike> {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && isErrorLike(current); depth++) {
    yield current;
    // A failed multi-address connect is an AggregateError; its last attempt says most.
    current = Array.isArray(current.errors) && current.errors.length > 0 ? current.errors.at(-1) : current.cause;
  }
}

// undici's socket error says only that the socket failed; its cause, when there is one, says how.
const GENERIC = new Set(['UND_ERR_SOCKET']);

/** The most telling error code on the error or its causes. */
export function errorCode(error: unknown): string {
  let generic: string | undefined;
  for (const link of errorChain(error)) {
    const code = typeof link.code === 'string' ? link.code : undefined;
    if (code !== undefined && !GENERIC.has(code)) return code;
    generic ??= code;
  }
  const name = isErrorLike(error) && typeof error.name === 'string' ? error.name : undefined;
  return generic ?? name ?? 'UNKNOWN';
}

/** True when the call failed before any byte of the request could have reached Authlete. */
export function neverSent(error: unknown): boolean {
  return errorCode(error) === 'ECONNREFUSED';
}

// undici's proxy agent says only in its message that the proxy refused the CONNECT tunnel (with which status).
const PROXY_REFUSED = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling$/;

/** The proxy's status when an egress proxy refused to open the tunnel to Authlete. */
function proxyRefusal(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : undefined;
  const status = message === undefined ? undefined : PROXY_REFUSED.exec(message)?.[1];
  return status === undefined ? undefined : `PROXY_${status}`;
}

/** Names why a call that threw gave no answer. */
export function classifyFailure(error: unknown, timeoutMs: number): AuthorityFailure {
  if (isErrorLike(error) && error.name === 'SyntaxError') return { cause: 'malformed_answer', reason: 'the answer is not JSON' };
  // The tunnel was refused: nothing reached Authlete.
  const refusedByProxy = proxyRefusal(error);
  if (refusedByProxy !== undefined) return { cause: 'unreachable', code: refusedByProxy };
  const code = errorCode(error);
  if (TIMED_OUT.has(code)) return { cause: 'timeout', timeoutMs };
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return { cause: 'malformed_answer', reason: 'the answer is too large' };
  if (code === 'ENCODED_ANSWER') return { cause: 'malformed_answer', reason: 'the answer is content-encoded, though identity was asked for' };
  if (TLS_FAILURE.test(code)) return { cause: 'tls_failure', code };
  if (NOT_CONNECTED.has(code)) return { cause: 'unreachable', code };
  return { cause: 'connection_lost', code };
}
