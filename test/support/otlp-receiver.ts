import { createServer, type Server } from 'node:http';
import { z } from 'zod';
import { listenOnLoopback } from './loopback.mts';

/** One span as the test reads it: ids in hex, attributes flattened to their values. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  /** OTLP's SpanKind: 2 server, 3 client. */
  readonly kind: number;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly resource: Readonly<Record<string, unknown>>;
}

const anyValue = z
  .object({
    stringValue: z.string().optional(),
    intValue: z.union([z.string(), z.number()]).optional(),
    doubleValue: z.number().optional(),
    boolValue: z.boolean().optional(),
  })
  .loose();
const keyValues = z.array(z.object({ key: z.string(), value: anyValue })).default([]);
const span = z
  .object({
    traceId: z.string(),
    spanId: z.string(),
    parentSpanId: z.string().optional(),
    name: z.string(),
    kind: z.number(),
    attributes: keyValues,
  })
  .loose();
// OTLP/JSON (OTEL_EXPORTER_OTLP_PROTOCOL=http/json): an ExportTraceServiceRequest.
const exportRequest = z.object({
  resourceSpans: z.array(
    z.object({
      resource: z.object({ attributes: keyValues }).loose().optional(),
      scopeSpans: z.array(z.object({ spans: z.array(span).default([]) }).loose()).default([]),
    }),
  ),
});

function valueOf(value: z.infer<typeof anyValue>): unknown {
  return value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : undefined) ?? value.doubleValue ?? value.boolValue;
}

function flatten(pairs: z.infer<typeof keyValues>): Record<string, unknown> {
  return Object.fromEntries(pairs.map(({ key, value }) => [key, valueOf(value)]));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// The JSON encoding gives ids in hex; a base64 id (protobuf-JSON style) is turned into hex too.
function hex(id: string): string {
  return /^[0-9a-f]*$/.test(id) ? id : Buffer.from(id, 'base64').toString('hex');
}

export interface OtlpReceiver {
  /** The base URL for OTEL_EXPORTER_OTLP_ENDPOINT; spans arrive at /v1/traces beneath it. */
  readonly url: string;
  readonly spans: ReceivedSpan[];
  /** Every request body as received, to search for what must never be exported. */
  readonly bodies: string[];
  /** The Content-Type of every export request: which OTLP encoding the exporter chose. */
  readonly contentTypes: string[];
  /** Resolves once the spans received satisfy the condition (checked at every export request). */
  until(condition: (spans: readonly ReceivedSpan[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** An OTLP/HTTP collector for one test: accepts JSON trace exports and keeps every span; other encodings are only noted. */
export function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const bodies: string[] = [];
  const contentTypes: string[] = [];
  const waiting = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      bodies.push(body);
      contentTypes.push(req.headers['content-type'] ?? '');
      const parsed = req.url === '/v1/traces' ? exportRequest.safeParse(parseJson(body)) : undefined;
      if (parsed === undefined || !parsed.success) {
        res.writeHead(400, { 'Content-Type': 'application/json' }).end('{}');
        for (const wake of waiting) wake();
        return;
      }
      for (const group of parsed.data.resourceSpans) {
        const resource = flatten(group.resource?.attributes ?? []);
        for (const scope of group.scopeSpans) {
          for (const s of scope.spans) {
            const parent = s.parentSpanId === undefined || s.parentSpanId === '' ? undefined : hex(s.parentSpanId);
            spans.push({ traceId: hex(s.traceId), spanId: hex(s.spanId), parentSpanId: parent, name: s.name, kind: s.kind, attributes: flatten(s.attributes), resource });
          }
        }
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      for (const wake of waiting) wake();
    });
  });
  const until = (condition: (received: readonly ReceivedSpan[]) => boolean, timeoutMs = 10_000): Promise<void> =>
    new Promise((done, fail) => {
      const check = (): void => {
        if (!condition(spans)) return;
        clearTimeout(timer);
        waiting.delete(check);
        done();
      };
      const timer = setTimeout(() => {
        waiting.delete(check);
        fail(new Error(`the spans expected did not arrive within ${timeoutMs} ms; received: ${JSON.stringify(spans.map((s) => s.name))}`));
      }, timeoutMs);
      waiting.add(check);
      check();
    });
  return listenOnLoopback(server).then((listening) => ({ url: listening.url, spans, bodies, contentTypes, until, close: listening.close }));
}
