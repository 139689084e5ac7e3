import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { listenOnLoopback } from './loopback.mts';
import type { Call } from './scripted-authlete.mts';

export type RecordedCall = Omit<Call, 'connection'>;

export interface RecordingProxy {
  readonly url: string;
  readonly calls: RecordedCall[];
  close(): Promise<void>;
}

export interface RecordingProxyOptions {
  /** Listen over HTTPS with this key and certificate (for localhost): a front end like Authlete's own, for TLS tests. */
  readonly tls?: { readonly key: string; readonly cert: string };
}

/**
 * Sits in front of a mock that cannot tell what it received (Prism, the stateful mock), writes down every call,
 * and forwards it unchanged to `upstream`, or to the upstream that function picks for the call.
 */
export function startRecordingProxy(upstream: string | ((call: RecordedCall) => string), options: RecordingProxyOptions = {}): Promise<RecordingProxy> {
  const calls: RecordedCall[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const call = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: body.toString('utf8') };
      calls.push(call);
      const target = typeof upstream === 'string' ? upstream : upstream(call);
      const forward = request(new URL(call.path, target), { method: call.method, headers: { ...req.headers, host: new URL(target).host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  };
  const server: Server = options.tls === undefined ? createServer(handle) : createTlsServer(options.tls, handle);
  // A refused handshake (a gateway that does not trust the certificate) is part of what the TLS tests look at.
  server.on('tlsClientError', () => undefined);
  // The certificate names localhost, so an https URL says localhost; it listens on 127.0.0.1 all the same.
  const url = (plain: string): string => (options.tls === undefined ? plain : plain.replace('http://127.0.0.1', 'https://localhost'));
  return listenOnLoopback(server).then((listening) => ({ url: url(listening.url), calls, close: listening.close }));
}
