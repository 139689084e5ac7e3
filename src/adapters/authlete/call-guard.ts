import {
  BrokenCircuitError,
  BulkheadRejectedError,
  bulkhead,
  CircuitState,
  circuitBreaker,
  ConsecutiveBreaker,
  handleWhenResult,
  TaskCancelledError,
  type BulkheadPolicy,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import type { Answer } from '../../domain/authority-answer';
import type { AuthorityFailure, FailureCause } from '../../domain/authority-failure';
import type { Admission, AdmissionRefusal, AuthorityAdmission } from '../../ports/authority-admission';
import type { Logger } from '../logging/create-logger';
import { clampRetryAfter } from './retry-after';
import { DeadlineExceeded } from './transport/undici-exchange';

export interface CallGuardSettings {
  /** How long one call may take, waiting for a free connection included. */
  readonly timeoutMs: number;
  /** Calls sent to Authlete at once: one pooled connection each. */
  readonly maxConnections: number;
  /** Requests admitted at once, from when their body has arrived until they are answered; past it, 503 at once. */
  readonly maxPending: number;
  /** Consecutive timeouts, refusals and "busy" answers that open the circuit. */
  readonly breakerFailures: number;
  /** How long an open circuit answers 503 before it lets one trial call through. */
  readonly breakerCooldownMs: number;
}

export interface GuardLoad {
  /** Requests holding a place, from when their body has arrived until they are answered. */
  readonly admitted: number;
  /** Calls on a connection to Authlete. */
  readonly sending: number;
  /** Calls waiting for a connection. */
  readonly waiting: number;
  /** Open or half-open: calls are refused without asking Authlete. */
  readonly circuitOpen: boolean;
}

/** Failures that say Authlete is struggling or out of reach; its decisions and refusals of one call say nothing. */
const TRIPPING: ReadonlySet<FailureCause> = new Set<FailureCause>(['timeout', 'unreachable', 'tls_failure', 'connection_lost', 'rate_limited']);

/** The answers that counted against the circuit, known by identity so the breaker's predicate needs no cast. */
const tripping = new WeakSet<object>();

/** A full house is short-lived: calls finish within the timeout, so a second is a fair first wait. */
const OVERLOADED = { cause: 'overloaded', retryAfterSeconds: 1 } as const satisfies AuthorityFailure;

const ABANDONED = { cause: 'abandoned' } as const satisfies AuthorityFailure;

/**
 * Room in the connection queue for each admission place. Live calls in the queue never outnumber the places, since
 * each holds one; but cockatiel drops an entry only once it reaches the head, so a call whose client hung up or
 * whose deadline passed keeps its room until a connection frees up, while its place is given back at once and
 * taken by a live request. One room per place would turn that request away (503) with places free; the two more
 * are for such dead entries. The bound stays: a queue of at most three entries a place, full only after a run of
 * hang-ups (or timeouts) during one call to Authlete, and refusing then as if every place were taken.
 */
const QUEUE_ROOM_PER_PLACE = 3;

/** The share of its time a waiting call must still have when a connection frees up, to be sent. */
const MIN_TIME_LEFT = 0.1;

type CircuitOpen = Extract<AuthorityFailure, { cause: 'circuit_open' }>;

function failed(failure: AuthorityFailure): Answer<never> {
  return { kind: 'failure', failure };
}

/**
 * Load shedding in front of Authlete: at most `maxPending` requests admitted at once (whether one more would be is
 * asked before its body is read, and the place taken once it has arrived), and with cockatiel a bulkhead sending at
 * most `maxConnections` calls at once (the rest wait in order, and one whose deadline passes while it waits is
 * answered 504 and never sent), and a circuit breaker that, after a run of failures, answers 503 without calling
 * Authlete until a single trial call succeeds.
 */
export class CallGuard implements AuthorityAdmission {
  /** Requests holding a place; a count, not a bulkhead: nothing waits for a place, so there is no queue to keep. */
  #admitted = 0;
  readonly #connections: BulkheadPolicy;
  /**
   * The calls in the connection queue, each by whether its client has gone: the queue's own length counts the
   * dead entries too. Kept out of the hot path: only a call that finds every connection busy is put here.
   */
  readonly #waiting = new Set<() => boolean>();
  readonly #breaker: CircuitBreakerPolicy;
  readonly #timeout: AuthorityFailure;
  #openedAt = 0;
  /** Whether the last call that went out timed out or found no connection: the connection it freed is no good. */
  #lastCallFailed = false;

  constructor(
    private readonly settings: CallGuardSettings,
    logger: Logger,
  ) {
    this.#connections = bulkhead(settings.maxConnections, QUEUE_ROOM_PER_PLACE * settings.maxPending);
    this.#breaker = circuitBreaker(
      handleWhenResult((result) => typeof result === 'object' && result !== null && tripping.has(result)),
      { halfOpenAfter: settings.breakerCooldownMs, breaker: new ConsecutiveBreaker(settings.breakerFailures) },
    );
    this.#timeout = { cause: 'timeout', timeoutMs: settings.timeoutMs };
    this.#breaker.onBreak(() => {
      this.#openedAt = Date.now();
      logger.warn(
        { failures: settings.breakerFailures, cooldownMs: settings.breakerCooldownMs },
        'circuit to Authlete opened: answering 503 without calling it until a trial call succeeds',
      );
    });
    this.#breaker.onHalfOpen(() => logger.info('circuit to Authlete half-open: one trial call'));
    this.#breaker.onReset(() => logger.info('circuit to Authlete closed: calls flow again'));
  }

  /** How full the guard is now, for the metrics (on a scrape, so the walk through the queue costs no call). */
  load(): GuardLoad {
    let waiting = 0;
    for (const gone of this.#waiting) if (!gone()) waiting++;
    return {
      admitted: this.#admitted,
      sending: this.settings.maxConnections - this.#connections.executionSlots,
      waiting,
      circuitOpen: this.#breaker.state !== CircuitState.Closed,
    };
  }

  refusalNow(): AdmissionRefusal | undefined {
    return this.#circuitRefusal() ?? (this.#admitted >= this.settings.maxPending ? OVERLOADED : undefined);
  }

  reserve(): Admission {
    const refusal = this.refusalNow();
    if (refusal !== undefined) return { admitted: false, failure: refusal };
    this.#admitted++;
    let held = true;
    const release = (): void => {
      // Released once, however many times the request's end is reported.
      if (!held) return;
      held = false;
      this.#admitted--;
    };
    return { admitted: true, release };
  }

  /**
   * Runs one call to Authlete on one of the pool's connections, through the breaker. `attempt` gets the deadline
   * signal when the call had to wait. The breaker sits inside the connection bulkhead, so a failure is counted
   * before its connection is handed to the next call, and the calls waiting behind a run of timeouts find the
   * circuit already open.
   */
  call<A extends string>(attempt: (deadline: AbortSignal | undefined) => Promise<Answer<A>>, abandoned?: () => boolean): Promise<Answer<A>> {
    // Gone before its call was even sent (a compressed body still being decoded when the hang-up came): nobody would
    // receive the answer, and a client registered now would be an orphan. Not asked, as if abandoned in the queue.
    if (abandoned?.() === true) return Promise.resolve(failed(ABANDONED));
    const refusal = this.#circuitRefusal();
    if (refusal !== undefined) return Promise.resolve(failed(refusal));
    if (this.#connections.executionSlots > 0) return this.#connections.execute(() => this.#throughBreaker(() => attempt(undefined)));
    return this.#waitForAConnection(attempt, abandoned);
  }

  /** Whether the call that just ended failed in a way that counts against the circuit, and its connection with it. */
  readonly #noteAnswer = <A extends string>(answer: Answer<A>): Answer<A> => {
    this.#lastCallFailed = answer.kind === 'failure' && TRIPPING.has(answer.failure.cause);
    if (this.#lastCallFailed) tripping.add(answer);
    return answer;
  };

  async #throughBreaker<A extends string>(send: () => Promise<Answer<A>>): Promise<Answer<A>> {
    // Asked again when the connection is free: the circuit may have opened while the call waited.
    const refusal = this.#circuitRefusal();
    if (refusal !== undefined) return failed(refusal);
    try {
      return await this.#breaker.execute(() => send().then(this.#noteAnswer));
    } catch (error) {
      if (error instanceof BrokenCircuitError) return failed(this.#circuitRefusal() ?? this.#openFor(this.settings.breakerCooldownMs));
      throw error;
    }
  }

  /**
   * The deadline starts when the call starts waiting; the transport's own timer starts only once it is sent. A
   * call that reaches a connection with under a tenth of its time left is not sent at all: it would most likely
   * time out anyway, after a handshake with an Authlete that is already struggling. Nor is one whose connection
   * was freed by a call that failed, nor one whose client has hung up meanwhile.
   */
  #waitForAConnection<A extends string>(
    attempt: (deadline: AbortSignal | undefined) => Promise<Answer<A>>,
    abandoned: (() => boolean) | undefined,
  ): Promise<Answer<A>> {
    const deadline = new AbortController();
    const lastUsefulStart = performance.now() + this.settings.timeoutMs * (1 - MIN_TIME_LEFT);
    // A new function each call, so that two calls with the same check are two entries of the set.
    const gone = (): boolean => abandoned?.() === true;
    this.#waiting.add(gone);
    const attemptInTime = (): Promise<Answer<A>> => {
      this.#waiting.delete(gone);
      // Nobody is left to read the answer: sent now, it would only take a connection from a client still waiting,
      // and a burst of requests that hang up at once would keep the pool busy for nobody.
      if (gone()) return Promise.resolve(failed(ABANDONED));
      if (performance.now() > lastUsefulStart) return Promise.resolve(failed(this.#timeout));
      // Sent now, it would open a new connection in place of one that just failed, before the breaker has seen
      // enough failures to open: under a stalled Authlete that is the handshake storm this guard is here to stop.
      if (this.#lastCallFailed) return Promise.resolve(failed(OVERLOADED));
      return this.#throughBreaker(() => attempt(deadline.signal));
    };
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(gone);
        deadline.abort(new DeadlineExceeded(this.settings.timeoutMs));
        resolve(failed(this.#timeout));
      }, this.settings.timeoutMs);
      this.#connections.execute(attemptInTime, deadline.signal).then(
        (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
        (error: unknown) => {
          clearTimeout(timer);
          this.#waiting.delete(gone);
          // Cancelled: the deadline passed while it waited, and cockatiel dropped it before it was sent.
          if (error instanceof TaskCancelledError) resolve(failed(this.#timeout));
          else if (error instanceof BulkheadRejectedError) resolve(failed(OVERLOADED));
          else resolve(failed({ cause: 'connection_lost', code: 'UNKNOWN' }));
        },
      );
    });
  }

  #circuitRefusal(): CircuitOpen | undefined {
    switch (this.#breaker.state) {
      case CircuitState.Closed:
        return undefined;
      case CircuitState.HalfOpen:
        // One trial call is on its way; its answer decides within the timeout.
        return this.#openFor(this.settings.timeoutMs);
      case CircuitState.Open: {
        const left = this.#openedAt + this.settings.breakerCooldownMs - Date.now();
        // Past the cool-down this call may be the trial one.
        return left > 0 ? this.#openFor(left) : undefined;
      }
      case CircuitState.Isolated:
        return this.#openFor(this.settings.breakerCooldownMs);
    }
  }

  #openFor(ms: number): CircuitOpen {
    return { cause: 'circuit_open', retryAfterSeconds: clampRetryAfter(ms / 1000) };
  }
}
