import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

// Registration calls take milliseconds to seconds; the buckets cover a fast local mock up to a timed-out call.
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The gateway's Prometheus metrics, in a registry of its own (not prom-client's global one), so that several
 * gateways in one process, as in the tests, keep separate counts.
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  /** Requests by operation and how they ended; `_count` gives the request count. */
  readonly requests = new Histogram({
    name: 'dcr_requests_duration_seconds',
    help: 'Registration requests answered, by operation, outcome and HTTP status, with their latency',
    labelNames: ['operation', 'outcome', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /** Calls to the registration authority by operation and result: the action, or the failure cause. */
  readonly authorityCalls = new Histogram({
    name: 'dcr_authority_calls_duration_seconds',
    help: 'Calls to the registration authority (Authlete), by operation and result (action or failure cause), with their latency',
    labelNames: ['operation', 'result'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
