import { createServer, request } from 'node:http';
import { listenOnLoopback } from './loopback.mts';
import type { Call } from './scripted-authlete.mts';

export type RecordedCall = Omit<Call, 'connection'>;

export interface RecordingProxy {
  readonly url: string;
  readonly calls: RecordedCall[];
  close(): Promise<void>;
}

/**
 * Sits in front of a mock that cannot tell what it received (Prism, the stateful mock), writes down every call,
 * and forwards it unchanged to `upstream`, or to the upstream that function picks for the call.
 */
export function startRecordingProxy(upstream: string | ((call: RecordedCall) => string)): Promise<RecordingProxy> {
  const calls: RecordedCall[] = [];
  const server = createServer((req, res) => {
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
  });
  return listenOnLoopback(server).then((listening) => ({ url: listening.url, calls, close: listening.close }));
}
