import type { Middleware } from 'koa';
import type { GatewayState } from '../../http/gateway-state';

/** A `fetch` as openapi-fetch calls it. */
export type FetchLike = (input: Request) => Promise<Response>;

/**
 * What tracing adds to the gateway when it is on. When it is off there is no Tracing at all: the OpenTelemetry
 * SDK is not loaded, and the request path is composed exactly as without it.
 */
export interface Tracing {
  /** Runs each public request in a server span, continuing the client's W3C `traceparent`. */
  readonly serverSpans: Middleware<GatewayState>;
  /**
   * A client span around each call to Authlete, whose `traceparent` is sent along. `serviceId` (API v3, where
   * the paths carry it) is left out of span names, so they read the same for every service.
   */
  traceCalls(fetch: FetchLike, serviceId: string | undefined): FetchLike;
  /** `traceId` and `spanId` of the span in whose context a log line is written, for pino's `mixin`. */
  logFields(): Record<string, string>;
  /** Exports the spans still buffered. */
  shutdown(): Promise<void>;
}

/**
 * Starts tracing when the configuration has it on. The OpenTelemetry SDK is imported here and only here,
 * so a gateway with tracing off never loads it.
 */
export async function loadTracing(enabled: boolean): Promise<Tracing | undefined> {
  if (!enabled) return undefined;
  const { startOtelTracing } = await import('./otel-tracing.js');
  return startOtelTracing();
}
