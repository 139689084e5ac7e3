import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type TextMapSetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { Middleware, ParameterizedContext } from 'koa';
import { z } from 'zod';
import { errorCode } from '../../authlete/classify-failure';
import type { GatewayState } from '../../http/gateway-state';
import { PROBE_PATHS } from '../../http/probe-paths';
import type { FetchLike, Tracing } from './tracing';

const TRACER = 'dcr-gateway';

const HEADER_SETTER: TextMapSetter<Headers> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

type Ctx = ParameterizedContext<GatewayState>;

// Authlete's answer is untrusted text: a client ID taken from it is short and plain, or not taken.
const ISSUED_CLIENT_ID = z.object({ client_id: z.string().regex(/^[\x21-\x7E]{1,255}$/) });

/**
 * The client ID of a request: from its path, or, for a registration, the one Authlete issued. Reading the
 * answer costs a parse, paid only with tracing on.
 */
function clientIdOf(ctx: Ctx): string | undefined {
  if (ctx.state.clientId !== undefined || ctx.state.outcome !== 'created' || typeof ctx.body !== 'string') return ctx.state.clientId;
  try {
    const issued = ISSUED_CLIENT_ID.safeParse(JSON.parse(ctx.body));
    return issued.success ? issued.data.client_id : undefined;
  } catch {
    return undefined;
  }
}

/** The router's path template ('/register/:clientId'), never the path itself: a span name must stay low in cardinality. */
function routeOf(ctx: Ctx): string | undefined {
  const route: unknown = Reflect.get(ctx, '_matchedRoute');
  return typeof route === 'string' ? route : undefined;
}

/**
 * What a request span says once it is answered: operation, status, outcome, client ID. Nothing from a header
 * or the body: they carry the registration access token, the initial access token and the client's secrets.
 */
function finishServerSpan(span: Span, ctx: Ctx): void {
  const { operation, outcome, failure, refusal, requestId } = ctx.state;
  const clientId = clientIdOf(ctx);
  const route = routeOf(ctx);
  const attributes: Attributes = { 'http.response.status_code': ctx.status, 'dcr.request_id': requestId };
  if (route !== undefined) {
    attributes['http.route'] = route;
    span.updateName(`${ctx.method} ${route}`);
  }
  if (operation !== undefined) attributes['dcr.operation'] = operation;
  if (outcome !== undefined) attributes['dcr.outcome'] = outcome;
  if (clientId !== undefined) attributes['dcr.client_id'] = clientId;
  if (refusal !== undefined) attributes['dcr.refusal'] = refusal;
  if (failure !== undefined) attributes['dcr.authority_failure'] = failure.cause;
  span.setAttributes(attributes);
  if (ctx.status >= 500) {
    span.setAttribute('error.type', String(ctx.status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

// API v3's paths carry the service ID; the template keeps span names the same across services.
function callTemplate(path: string, serviceId: string | undefined): string {
  if (serviceId === undefined) return path;
  const prefix = `/api/${encodeURIComponent(serviceId)}/`;
  return path.startsWith(prefix) ? `/api/{serviceId}/${path.slice(prefix.length)}` : path;
}

/**
 * Tracing through the OpenTelemetry SDK for Node, configured by the SDK from the standard OTEL_ variables
 * (exporter protocol, endpoint, headers, sampler, batch delays, resource). Only traces: the metrics stay on
 * the Prometheus endpoint and the logs on stdout, so the SDK's metric and log pipelines are not started.
 */
export function startOtelTracing(): Tracing {
  const sdk = new NodeSDK({
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, read by the SDK's resource detection, override these.
    resource: resourceFromAttributes({ 'service.name': 'dcr-gateway' }),
    // Without OTEL_PROPAGATORS, W3C trace context only: the SDK's default also relays W3C baggage, and a
    // client's baggage is untrusted text that has no business travelling on to Authlete.
    ...(process.env['OTEL_PROPAGATORS'] === undefined && { textMapPropagator: new W3CTraceContextPropagator() }),
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  const tracer = trace.getTracer(TRACER);

  const serverSpans: Middleware<GatewayState> = (ctx, next) => {
    if (PROBE_PATHS.has(ctx.path)) return next();
    const parent = propagation.extract(ROOT_CONTEXT, ctx.req.headers);
    const span = tracer.startSpan(ctx.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': ctx.method } }, parent);
    return context.with(trace.setSpan(parent, span), async () => {
      try {
        await next();
      } finally {
        finishServerSpan(span, ctx);
      }
    });
  };

  function traceCalls(fetch: FetchLike, serviceId: string | undefined): FetchLike {
    return async (request) => {
      const url = new URL(request.url);
      const template = callTemplate(url.pathname, serviceId);
      const span = tracer.startSpan(`${request.method} ${template}`, {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': request.method,
          'url.template': template,
          'server.address': url.hostname,
          'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
        },
      });
      propagation.inject(trace.setSpan(context.active(), span), request.headers, HEADER_SETTER);
      try {
        const response = await fetch(request);
        span.setAttribute('http.response.status_code', response.status);
        if (response.status >= 400) {
          span.setAttribute('error.type', String(response.status));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        return response;
      } catch (error) {
        // The error's code, never its message: it may quote what was sent.
        span.setAttribute('error.type', errorCode(error));
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    };
  }

  function logFields(): Record<string, string> {
    const span = trace.getSpan(context.active());
    if (span === undefined) return {};
    const { traceId, spanId } = span.spanContext();
    return { traceId, spanId };
  }

  return { serverSpans, traceCalls, logFields, shutdown: () => sdk.shutdown() };
}
