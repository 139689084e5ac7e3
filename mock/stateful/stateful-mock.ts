import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { answerCall } from './answer-call';
import { ClientStore } from './client-store';
import { TokenStore } from './token-store';
import { DEFAULT_LIMITS, type MockState, type StoreLimits } from './mock-state';
import type { BodyLimits } from './read-body';
import { CALL_FAILURE, callFailure } from './result-codes';
import type { ServiceAccess } from './service-access';
import { writeAnswer } from './write-answer';

export interface StatefulMockOptions {
  /** registration_client_uri is `${base}/${client_id}`; a function is asked on every registration (the gateway's port may be known only after it listens). */
  readonly managementBaseUrl: string | (() => string);
  /** Authlete's service setting of that name (default true): when false, an unknown client or wrong registration access token gives BAD_REQUEST instead of UNAUTHORIZED. */
  readonly unauthorizedOnClientConfigSupported?: boolean;
  /** When set, calls must carry `Authorization: Bearer <this>`, else HTTP 401 with {resultCode,resultMessage}. */
  readonly serviceAccessToken?: string;
  /** When set, the {serviceId} path segment must equal it, else HTTP 403 with {resultCode,resultMessage}. */
  readonly serviceId?: string;
  /** When both are set, v2 calls (no service ID in the path) must carry them as HTTP Basic credentials, else HTTP 401. */
  readonly serviceApiKey?: string;
  readonly serviceApiSecret?: string;
  /** Seconds since the epoch, for client_id_issued_at (default: real clock). */
  readonly now?: () => number;
  /** Caps on what is kept (default: DEFAULT_LIMITS). */
  readonly limits?: Partial<StoreLimits>;
}

export interface RunningStatefulMock {
  readonly url: string;
  readonly clientCount: () => number;
  /** Closes the server and all its connections. */
  close(): Promise<void>;
}

// The whole body is in memory at once; 1 MiB is far beyond any real client metadata and bounds each client.
const LIMITS: BodyLimits = { maxBytes: 1024 * 1024, deadlineMs: 10_000 };

interface Mock {
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  readonly clientCount: () => number;
}

function createMock(options: StatefulMockOptions): Mock {
  const { managementBaseUrl } = options;
  const state: MockState = {
    store: new ClientStore(),
    tokens: new TokenStore(),
    now: options.now ?? (() => Math.floor(Date.now() / 1000)),
    managementBaseUrl: typeof managementBaseUrl === 'string' ? () => managementBaseUrl : managementBaseUrl,
    unauthorizedOnClientConfigSupported: options.unauthorizedOnClientConfigSupported ?? true,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
  };
  const access: ServiceAccess = {
    ...(options.serviceAccessToken !== undefined && { serviceAccessToken: options.serviceAccessToken }),
    ...(options.serviceId !== undefined && { serviceId: options.serviceId }),
    ...(options.serviceApiKey !== undefined && { serviceApiKey: options.serviceApiKey }),
    ...(options.serviceApiSecret !== undefined && { serviceApiSecret: options.serviceApiSecret }),
  };
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    answerCall(req, access, LIMITS, state).then(
      (answer) => {
        if (answer === undefined) res.destroy();
        else writeAnswer(res, answer);
      },
      // Nothing is logged: the failure could carry a token from the call.
      () => {
        if (res.headersSent) res.destroy();
        else writeAnswer(res, callFailure(CALL_FAILURE.internal, undefined, true));
      },
    );
  };
  return { handler, clientCount: () => state.store.size };
}

/** The mock on its own HTTP server, by default on an ephemeral port of 127.0.0.1. */
export function startStatefulMock(options: StatefulMockOptions & { readonly host?: string; readonly port?: number }): Promise<RunningStatefulMock> {
  const mock = createMock(options);
  const server = createServer(mock.handler);
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      // One closing for every caller: a second close() waits for the first instead of failing on a closed server.
      let closing: Promise<void> | undefined;
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
        clientCount: mock.clientCount,
        close: () =>
          (closing ??= new Promise<void>((done, fail) => {
            server.close((error) => (error === undefined ? done() : fail(error)));
            server.closeAllConnections();
          })),
      });
    });
  });
}
