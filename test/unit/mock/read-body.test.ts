import { createServer, request, type Server } from 'node:http';
import { readBody, type BodyRead } from '../../../mock/stateful/read-body';

describe('readBody: a bounded read of the request body', () => {
  let server: Server;
  let url: string;
  const results: BodyRead[] = [];
  const settled: Array<() => void> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      void readBody(req, { maxBytes: 16, deadlineMs: 150 }).then((result) => {
        results.push(result);
        settled.shift()?.();
        if (result.kind === 'aborted') return;
        res.writeHead(200, { Connection: 'close' });
        res.end(result.kind === 'body' ? `body:${result.text}` : result.kind);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  });

  /** Sends the header and `sent`, announcing `declared` bytes; resolves with the answer text, or '' without one. */
  function sendPartly(sent: string, declared: number, { hangUp = false } = {}): Promise<string> {
    return new Promise((resolve) => {
      const req = request(url, { method: 'POST', headers: { 'Content-Length': String(declared) }, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      });
      req.on('error', () => resolve(''));
      req.write(sent);
      if (hangUp) setTimeout(() => req.destroy(), 30);
      else if (Buffer.byteLength(sent) === declared) req.end();
    });
  }

  it('gives the whole body when it arrives within the limits', async () => {
    expect(await sendPartly('{"a":1}', 7)).toBe('body:{"a":1}');
  });

  it('gives up on a body that announces more than it sends, once the deadline passes', async () => {
    const started = Date.now();
    expect(await sendPartly('{"a"', 10)).toBe('too_slow');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses a body declared larger than the limit without reading it', async () => {
    expect(await sendPartly('x'.repeat(17), 17)).toBe('too_large');
  });

  it('tells when the caller hangs up mid-body', async () => {
    const done = new Promise<void>((resolve) => settled.push(resolve));
    await sendPartly('{"a"', 10, { hangUp: true });
    await done;
    expect(results.at(-1)).toEqual({ kind: 'aborted' });
  });
});
