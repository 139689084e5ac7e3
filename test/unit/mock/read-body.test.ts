import { createServer, request } from 'node:http';
import { readBody, type BodyRead } from '../../../mock/stateful/read-body';
import { listenOnLoopback, type Listening } from '../../support/loopback.mts';

const DEADLINE_MS = 150;

describe('readBody: a bounded read of the request body', () => {
  let server: Listening;
  let url: string;
  const results: BodyRead[] = [];
  const settled: Array<() => void> = [];

  beforeAll(async () => {
    const reading = createServer((req, res) => {
      void readBody(req, { maxBytes: 16, deadlineMs: DEADLINE_MS }).then((result) => {
        results.push(result);
        settled.shift()?.();
        if (result.kind === 'aborted') return;
        res.writeHead(200, { Connection: 'close' });
        res.end(result.kind === 'body' ? `body:${result.text}` : result.kind);
      });
    });
    server = await listenOnLoopback(reading);
    url = server.url;
  });
  afterAll(() => server.close());

  /**
   * Sends the header and `sent`, announcing `declared` bytes; resolves with the answer text, or '' without one.
   * A hang-up comes once the server has the request (its `100 Continue` says so) and the bytes are on their way.
   */
  function sendPartly(sent: string, declared: number, { hangUp = false } = {}): Promise<string> {
    return new Promise((resolve) => {
      const headers = { 'Content-Length': String(declared), ...(hangUp && { Expect: '100-continue' }) };
      const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      });
      req.on('error', () => resolve(''));
      if (hangUp) req.once('continue', () => req.write(sent, () => req.destroy()));
      else {
        req.write(sent);
        if (Buffer.byteLength(sent) === declared) req.end();
      }
    });
  }

  it('gives the whole body when it arrives within the limits', async () => {
    expect(await sendPartly('{"a":1}', 7)).toBe('body:{"a":1}');
  });

  it('gives up on a body that announces more than it sends, once the deadline passes', async () => {
    const started = performance.now();
    expect(await sendPartly('{"a"', 10)).toBe('too_slow');
    // Not before the deadline; the upper bound is wide, for a loaded machine: without a deadline it would never end.
    const elapsedMs = performance.now() - started;
    expect(elapsedMs).toBeGreaterThanOrEqual(DEADLINE_MS * 0.9);
    expect(elapsedMs).toBeLessThan(DEADLINE_MS + 8_000);
  }, 15_000);

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
