import { createServer, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { listenOnLoopback } from './loopback.mts';

export interface Tampering {
  /** Holds a request until the returned promise settles (a gate the test opens), before forwarding it. */
  readonly hold?: (req: IncomingMessage) => Promise<void> | undefined;
  /** Rewrites the headers of an answer before it goes back. */
  readonly answerHeaders?: (req: IncomingMessage, headers: IncomingHttpHeaders) => IncomingHttpHeaders;
}

export interface TamperingProxy {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Forwards everything to `target`, changing only what the tampering says: a stand-in for a broken build or a slow
 * hop. A target given as a function is asked at each request, for one that is started after the proxy.
 */
export function startTamperingProxy(target: string | (() => string), tampering: Tampering): Promise<TamperingProxy> {
  const server = createServer((req, res) => {
    const forward = (): void => {
      const to = typeof target === 'string' ? target : target();
      const upstream = request(new URL(req.url ?? '/', to), { method: req.method, headers: { ...req.headers, host: new URL(to).host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, tampering.answerHeaders?.(req, answer.headers) ?? answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    const held = tampering.hold?.(req);
    if (held === undefined) forward();
    else held.then(forward, () => res.destroy());
  });
  return listenOnLoopback(server).then((listening) => ({ url: listening.url, close: listening.close }));
}
