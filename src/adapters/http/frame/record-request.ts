import type { ParameterizedContext } from 'koa';
import type { Logger } from '../../logging/create-logger';
import type { GatewayMetrics } from '../../observability/gateway-metrics';
import type { GatewayState } from '../gateway-state';

const MAX_PATH = 200;
/** Path parameters (`;access_token=...`): the gateway serves none, and a client may put a token there. */
const PATH_PARAMETERS = /;[^/]*/g;
const TOKEN_WORD = /access_token/i;

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The path as logged: bounded, its path parameters and any segment that names an access token, percent-encoded or
 * not, replaced. Such requests are refused with 400, but their path is logged.
 */
function loggedPath(path: string): string {
  let shown = path;
  if (shown.includes(';')) shown = shown.replace(PATH_PARAMETERS, ';[redacted]');
  if (shown.includes('%') || TOKEN_WORD.test(shown)) {
    shown = shown
      .split('/')
      .map((segment) => (TOKEN_WORD.test(decoded(segment)) ? '[redacted]' : segment))
      .join('/');
  }
  return shown.length > MAX_PATH ? `${shown.slice(0, MAX_PATH)}…` : shown;
}

/**
 * One log line and one metric per request once it is answered: who (request ID), what (operation, client ID),
 * how it ended (status, outcome, the authority's failure cause) and how long it took. Only the path of the URL
 * is logged, and no header or body: they carry credentials. Probes are logged at debug level and not counted.
 */
export function recordRequest(logger: Logger, metrics: GatewayMetrics): (ctx: ParameterizedContext<GatewayState>, started: number) => void {
  return (ctx, started) => {
    const seconds = (performance.now() - started) / 1000;
    const { requestId, operation, outcome, failure, clientId, refusal, probe, abandoned } = ctx.state;
    if (probe !== true) metrics.observeRequest(operation ?? 'none', outcome ?? 'refused', ctx.status, seconds);
    const level = levelOf(ctx.state, ctx.status);
    if (!logger.isLevelEnabled(level)) return;
    // Assigned field by field, not spread: this object is built for every request.
    const line: Record<string, unknown> = {
      requestId,
      method: ctx.method,
      clientIp: ctx.state.clientIp,
      path: loggedPath(ctx.path),
      status: ctx.status,
      durationMs: Math.round(seconds * 100_000) / 100,
    };
    if (operation !== undefined) line['operation'] = operation;
    if (clientId !== undefined) line['clientId'] = clientId;
    if (outcome !== undefined) line['outcome'] = outcome;
    if (refusal !== undefined) line['refusal'] = refusal;
    if (ctx.state.refusedBy !== undefined) line['refusedBy'] = ctx.state.refusedBy;
    // Cut off by the gateway: the failure of its abandoned call to Authlete is the cut's doing, not Authlete's.
    if (ctx.state.cutOff === true) line['cutOff'] = true;
    else if (failure !== undefined) line['failure'] = failure;
    if (abandoned !== undefined) line['abandoned'] = abandoned;
    logger[level](line, message(ctx.state, ctx.status));
  };
}

type Failure = NonNullable<GatewayState['failure']>;

// Authlete refusing the call itself (401/403) means the gateway's own credentials or service ID are wrong.
function failureLevel(failure: Failure): 'error' | 'warn' {
  return failure.cause === 'http_error' && (failure.status === 401 || failure.status === 403) ? 'error' : 'warn';
}

// 501 answers a method this server does not implement: the client's doing, which anyone can send at will.
function isServerFault(status: number): boolean {
  return status >= 500 && status !== 501;
}

function levelOf(state: GatewayState, status: number): 'error' | 'warn' | 'info' | 'debug' {
  // Cut off at shutdown: whatever its outcome, its client got no answer, and the grace period may be too short.
  if (state.cutOff === true) return 'warn';
  // A call never made because its client had gone is the client's doing, not a failure of the authority.
  if (state.failure !== undefined && state.failure.cause !== 'abandoned') return failureLevel(state.failure);
  // A client created at Authlete whose credentials nobody received is an orphan someone should clean up.
  if (state.outcome === 'client_closed') return state.abandoned === 'created' ? 'warn' : 'info';
  // A draining readiness probe answers 503 by design, polled every second or so: not an error to page anyone for.
  if (state.probe === true) return 'debug';
  // Authlete's own INTERNAL_SERVER_ERROR, answered as a 500: Authlete failed, as with the failures above.
  if (state.authleteServerError === true) return 'warn';
  return isServerFault(status) ? 'error' : 'info';
}

function message(state: GatewayState, status: number): string {
  if (state.cutOff === true) return 'cut off at shutdown: still open when SHUTDOWN_GRACE_MS ran out';
  if (state.outcome === 'client_closed') return 'client hung up before its answer';
  if (state.failure !== undefined) return `registration authority failed: ${state.failure.cause}`;
  if (state.authleteServerError === true) return 'Authlete answered INTERNAL_SERVER_ERROR';
  if (isServerFault(status)) return 'request answered with a server error';
  return state.probe === true ? 'probe answered' : 'request answered';
}
