import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

interface Observer {
  observe(seconds: number): void;
}

/** The map's value for the key, set to `fresh` first when there is none. */
function entry<K, V>(map: Map<K, V>, key: K, fresh: V): V {
  const found = map.get(key);
  if (found !== undefined) return found;
  map.set(key, fresh);
  return fresh;
}

/** The gateway's two listeners: the public one, and the admin one for probes and scrapes. */
export type ListenerName = 'public' | 'admin';

// Registration calls take milliseconds to seconds; the buckets cover a fast local mock up to a timed-out call.
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The gateway's Prometheus metrics, in a registry of its own (not prom-client's global one), so that several
 * gateways in one process, as in the tests, keep separate counts.
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  /** Requests by operation and how they ended; `_count` gives the request count. */
  private readonly requests = new Histogram({
    name: 'dcr_requests_duration_seconds',
    help: 'Registration requests answered, by operation, outcome and HTTP status, with their latency',
    labelNames: ['operation', 'outcome', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /** Calls to the registration authority by operation and result: the action, or the failure cause. */
  private readonly authorityCalls = new Histogram({
    name: 'dcr_authority_calls_duration_seconds',
    help: 'Calls to the registration authority (Authlete), by operation and result (action or failure cause), with their latency',
    labelNames: ['operation', 'result'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /** Requests refused by an abuse limit, by limit. */
  private readonly limitRefusals = new Counter({
    name: 'dcr_limit_refusals_total',
    help: 'Requests refused with 429 by an abuse limit, by limit',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  /** Times the shared rate limit store failed and local counters took over. */
  private readonly fallbackEpisodes = new Counter({
    name: 'dcr_rate_limit_fallback_episodes_total',
    help: 'Episodes in which the rate limit store (Redis) was unreachable or slow and this replica counted alone',
    registers: [this.registry],
  });

  private readonly onFallback = new Gauge({
    name: 'dcr_rate_limit_fallback_active',
    help: '1 while this replica counts limits alone because the rate limit store (Redis) does not answer, else 0',
    registers: [this.registry],
  });

  /** Audit events dropped because AUDIT_LOG could not be written for long enough that a megabyte of them waited. */
  private readonly auditEventsLost = new Counter({
    name: 'dcr_audit_events_lost_total',
    help: 'Audit events dropped, unwritten, because the AUDIT_LOG destination failed (a full disk, a closed pipe) while 1 MiB of events already waited for it',
    registers: [this.registry],
  });

  /** Counts, on every scrape, the log lines stdout and stderr have dropped so far (`read` gives the running total). */
  watchLostLogLines(read: () => number): void {
    let counted = 0;
    new Counter({
      name: 'dcr_log_lines_lost_total',
      help: 'Lines of the log (and of AUDIT_LOG=stdout or stderr) dropped because stdout or stderr failed or its reader stalled while 16 MiB already waited',
      registers: [this.registry],
      collect() {
        const total = read();
        if (total > counted) this.inc(total - counted);
        counted = total;
      },
    });
  }

  /** Connections closed on arrival because the listener's cap was reached and every connection had sent a request. */
  private readonly droppedConnections = new Counter({
    name: 'dcr_connections_dropped_total',
    help: 'Connections closed on arrival because the listener held its most (public: MAX_CONNECTIONS, admin: 64), each having sent a request',
    labelNames: ['listener'],
    registers: [this.registry],
  });

  /** Connections that had sent no request yet (or were idle between two), closed to make room at the listener's cap. */
  private readonly evictedConnections = new Counter({
    name: 'dcr_connections_evicted_total',
    help: 'Connections closed to make room at the listener\'s most (public: MAX_CONNECTIONS, admin: 64): those yet to send a complete request head, oldest first, then idle kept-alive ones',
    labelNames: ['listener'],
    registers: [this.registry],
  });

  /** Connections closed on arrival because their client address had MAX_CONNECTIONS_PER_IP open already. */
  private readonly connectionsRefusedForAddress = new Counter({
    name: 'dcr_connections_refused_per_ip_total',
    help: 'Connections closed on arrival because their client address (an IPv6 /64) already had MAX_CONNECTIONS_PER_IP open',
    registers: [this.registry],
  });

  /** How many connections each listener holds, read on every scrape. */
  readonly #openConnections = new Map<ListenerName, () => Promise<number> | number>();

  // prom-client hashes a label object on every observation; the few label combinations are bound once instead,
  // and found again through nested maps, so an observation allocates nothing.
  readonly #requestSeries = new Map<string, Map<string, Map<number, Observer>>>();
  readonly #authoritySeries = new Map<string, Map<string, Observer>>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observeRequest(operation: string, outcome: string, status: number, seconds: number): void {
    const series = this.#requestSeries.get(operation)?.get(outcome)?.get(status) ?? this.#bindRequest(operation, outcome, status);
    series.observe(seconds);
  }

  observeAuthorityCall(operation: string, result: string, seconds: number): void {
    const series = this.#authoritySeries.get(operation)?.get(result) ?? this.#bindAuthorityCall(operation, result);
    series.observe(seconds);
  }

  /** Reports, on every scrape, how full the admission to Authlete is. */
  watchAuthorityLoad(load: () => { admitted: number; sending: number; waiting: number; circuitOpen: boolean }): void {
    const gauge = (name: string, help: string, read: () => number): void => {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read());
        },
      });
    };
    gauge('dcr_authority_admitted', 'Requests holding a place among the AUTHLETE_MAX_PENDING, from when their body has arrived until answered', () => load().admitted);
    gauge('dcr_authority_calls_sending', 'Calls on a connection to Authlete', () => load().sending);
    gauge('dcr_authority_calls_waiting', 'Calls waiting for a connection to Authlete', () => load().waiting);
    gauge('dcr_authority_circuit_open', '1 while the circuit breaker refuses calls without asking Authlete (open or half-open)', () => (load().circuitOpen ? 1 : 0));
  }

  /**
   * Reports a listener's open connections on every scrape, and starts its dropped and evicted counts at 0, so that
   * an alert on their increase has a series to watch before the first one.
   */
  watchOpenConnections(listener: ListenerName, count: () => Promise<number> | number): void {
    if (this.#openConnections.size === 0) {
      const counts = this.#openConnections;
      new Gauge({
        name: 'dcr_open_connections',
        help: 'Connections open on the listener, at most its cap (public: MAX_CONNECTIONS, admin: 64)',
        labelNames: ['listener'],
        registers: [this.registry],
        async collect() {
          for (const [name, read] of counts) this.labels(name).set(await read());
        },
      });
    }
    this.#openConnections.set(listener, count);
    this.droppedConnections.labels(listener).inc(0);
    this.evictedConnections.labels(listener).inc(0);
  }

  countDroppedConnection(listener: ListenerName): void {
    this.droppedConnections.labels(listener).inc();
  }

  countConnectionRefusedForAddress(): void {
    this.connectionsRefusedForAddress.inc();
  }

  countEvictedConnection(listener: ListenerName): void {
    this.evictedConnections.labels(listener).inc();
  }

  #bindRequest(operation: string, outcome: string, status: number): Observer {
    const series = this.requests.labels(operation, outcome, String(status));
    entry(entry(this.#requestSeries, operation, new Map<string, Map<number, Observer>>()), outcome, new Map<number, Observer>()).set(status, series);
    return series;
  }

  #bindAuthorityCall(operation: string, result: string): Observer {
    const series = this.authorityCalls.labels(operation, result);
    entry(this.#authoritySeries, operation, new Map<string, Observer>()).set(result, series);
    return series;
  }

  countLimitRefusal(limit: string): void {
    this.limitRefusals.inc({ limit });
  }

  countLostAuditEvent(): void {
    this.auditEventsLost.inc();
  }

  rateLimitFallbackStarted(): void {
    this.fallbackEpisodes.inc();
    this.onFallback.set(1);
  }

  rateLimitFallbackEnded(): void {
    this.onFallback.set(0);
  }

  contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
