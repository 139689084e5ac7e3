import { createClient, ErrorReply } from 'redis';
import type { Logger } from '../logging/create-logger';

/** A connection attempt that has not succeeded within this long is abandoned and tried again. */
const CONNECT_TIMEOUT_MS = 1_000;
/** Reconnects back off up to this delay and go on at that pace for as long as the process lives. */
const MAX_RECONNECT_DELAY_MS = 2_000;

export type RedisClient = ReturnType<typeof createClient>;

export type OpenRedisConnection = typeof openRedisConnection;

export interface RedisConnection {
  readonly client: RedisClient;
  /** The code of the last connection error since Redis was last ready (see `errorCode`), or undefined. */
  lastErrorCode(): string | undefined;
  /** True once Redis answers a command, false once it refused one or has not answered within `waitMs`. */
  connected(waitMs: number): Promise<boolean>;
  /** Calls `listener` each time the connection is ready again after it was lost. */
  onReconnected(listener: () => void): void;
  /** Drops the connection (commands still in flight fail, and the insurance counts them) and stops reconnecting. */
  close(): void;
}

/**
 * What the debug line may say about a connection error: a system error's code (ECONNREFUSED), the code a Redis
 * error reply starts with (WRONGPASS, NOAUTH, LOADING), or node-redis's own error class. Never the message in
 * full nor the URL, which may carry the password.
 */
function errorCode(error: Error): string {
  if ('code' in error && typeof error.code === 'string') return error.code;
  if (error instanceof ErrorReply) return /^[A-Z]+/.exec(error.message)?.[0] ?? 'ErrorReply';
  return error.constructor.name;
}

/**
 * A node-redis client for the shared limits. Nothing waits on it: while it is not connected, commands fail at
 * once instead of queueing (the insurance limiter counts them), and it reconnects by itself.
 */
export function openRedisConnection(url: string, logger: Logger): RedisConnection {
  let closing = false;
  let lastError: string | undefined;
  let readyBefore = false;
  /** Whether Redis answered a command since the connection was last ready. */
  let answering = false;
  const reconnected: Array<() => void> = [];
  const verified: Array<() => void> = [];
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Never gives up (a number, not false), unless the gateway is closing.
      reconnectStrategy: (retries) => (closing ? false : Math.min((retries + 1) * 100, MAX_RECONNECT_DELAY_MS)),
    },
  });
  const settled = (): void => {
    for (const listener of verified.splice(0)) listener();
  };
  // node-redis throws an 'error' nobody listens to, which would end the process; the fallback watch reports outages.
  client.on('error', (error: Error) => {
    answering = false;
    lastError = errorCode(error);
    logger.debug({ code: lastError }, 'rate limit store connection error');
  });
  client.on('ready', () => {
    answering = false;
    const first = !readyBefore;
    readyBefore = true;
    // A connection attempt already under way when `close` came may still succeed: it must not hold the process.
    if (closing) return client.unref();
    // Ready means connected, not usable: a Redis that wants a password the URL does not give (NOAUTH), or one
    // still loading its data (LOADING), refuses every command on a connection node-redis calls ready.
    client.ping().then(
      () => {
        answering = true;
        lastError = undefined;
        // Every ready after the first follows a lost connection.
        if (!first) for (const listener of reconnected) listener();
        logger.info('rate limit store (Redis) connected');
        settled();
      },
      (error: unknown) => {
        if (error instanceof Error) lastError = errorCode(error);
        logger.debug({ code: lastError }, 'rate limit store refused a command on a new connection');
        settled();
      },
    );
  });
  // Settles once connected, or never while Redis stays away; it rejects only after `close`, which is expected.
  client.connect().catch(() => {});

  return {
    client,
    lastErrorCode: () => lastError,
    onReconnected: (listener) => reconnected.push(listener),
    connected: (waitMs) =>
      new Promise<boolean>((resolve) => {
        if (answering) return resolve(true);
        const done = (): void => {
          clearTimeout(timer);
          const at = verified.indexOf(done);
          if (at >= 0) verified.splice(at, 1);
          resolve(answering);
        };
        const timer = setTimeout(done, waitMs);
        verified.push(done);
      }),
    close: () => {
      closing = true;
      if (client.isOpen) client.destroy();
    },
  };
}
