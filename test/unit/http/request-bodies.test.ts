import { connect } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { decision } from '../../support/fake-authority';
import { gatewayWithFakeAuthority } from '../../support/gateway-under-test';
import { send, sendWithoutEnd, type ReceivedResponse } from '../../support/http-client';
import { testConfig } from '../../support/test-config';

const LIMIT = 2048;
const BEARER = ['Authorization', 'Bearer rat-42'] as const;
const JSON_TYPE = ['Content-Type', 'application/json'] as const;

function expectJsonError(response: ReceivedResponse, status: number, error: string): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe('application/json');
  expect(response.headers['cache-control']).toBe('no-store');
  expect(JSON.parse(response.body)).toEqual({ error, error_description: expect.any(String) });
}

const ZLIB_HEADER = Buffer.from([0x78, 0x01]);

/** Empty stored deflate blocks, not final: every five bytes on the wire decompress to none. */
function emptyStoredBlocks(count: number): Buffer {
  const block = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);
  return Buffer.concat(Array.from({ length: count }, () => block));
}

describe('request bodies: limits on the wire and decompressed, codings in any case, UTF-8 or nothing', () => {
  const { authority, gateway } = gatewayWithFakeAuthority(testConfig({ BODY_LIMIT_BYTES: LIMIT }));
  beforeAll(() => {
    authority.answers(decision('UPDATED', '{"client_id":"42"}'));
  });

  const put = (headers: ReadonlyArray<readonly [string, string]>, body: string | Buffer) =>
    send(`${gateway().url}/register/42`, { method: 'PUT', headers, body });

  it('refuses a deflate stream of empty blocks that is over the limit on the wire, though it decompresses to nothing', async () => {
    const bomb = Buffer.concat([ZLIB_HEADER, emptyStoredBlocks(LIMIT)]);
    expect(deflateSync(Buffer.alloc(0)).length).toBeLessThan(bomb.length);
    const response = await put([BEARER, JSON_TYPE, ['Content-Encoding', 'deflate']], bomb);
    expectJsonError(response, 413, 'invalid_request');
    expect(authority.received).toHaveLength(0);
  });

  it('stops reading such a stream sent chunked, without a Content-Length, once the wire limit is passed', async () => {
    const { port } = new URL(gateway().url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1');
      let received = '';
      let sent = 0;
      const chunk = emptyStoredBlocks(200);
      let first = true;
      const pump = setInterval(() => {
        // Sends far past the limit unless the gateway answers and closes first.
        if (sent > LIMIT * 1000 || socket.destroyed) return clearInterval(pump);
        const data = first ? Buffer.concat([ZLIB_HEADER, chunk]) : chunk;
        first = false;
        socket.write(`${data.length.toString(16)}\r\n`);
        socket.write(data);
        socket.write('\r\n');
        sent += chunk.length;
      }, 1);
      socket.write(
        'PUT /register/42 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer rat-42\r\nContent-Type: application/json\r\n' +
          'Content-Encoding: deflate\r\nTransfer-Encoding: chunked\r\n\r\n',
      );
      // The answer comes while the client is still sending: it need not wait for the connection to close.
      socket.on('data', (data: Buffer) => {
        received += data.toString('utf8');
        if (!received.includes('}')) return;
        clearInterval(pump);
        socket.destroy();
        resolve(received);
      });
      socket.on('error', () => undefined);
      setTimeout(() => reject(new Error(`no answer; sent ${sent} bytes`)), 10_000).unref();
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(authority.received).toHaveLength(0);
  });

  it.each([
    ['gzip', gzipSync(Buffer.from('{"client_id":"42"}')).subarray(0, 12)],
    ['gzip', Buffer.concat([gzipSync(Buffer.from('{"client_id":"42"}')).subarray(0, 10), Buffer.from('not deflate data at all')])],
    ['deflate', Buffer.from('this is not a zlib stream')],
    ['br', Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff])],
  ])('answers a corrupt %s body 400 invalid_request, logged without stack frames below warn', async (coding, body) => {
    gateway().log.lines.length = 0;
    const response = await put([BEARER, JSON_TYPE, ['Content-Encoding', coding]], body);
    expectJsonError(response, 400, 'invalid_request');
    expect(authority.received).toHaveLength(0);
    const levels = gateway().log.records().map((line) => line['level']);
    expect(levels).not.toContain('error');
    expect(gateway().log.text()).not.toContain('frames');
  });

  it.each(['GZIP', 'Gzip', ' gzip '])('reads a body with Content-Encoding "%s" as gzip', async (coding) => {
    authority.received.length = 0;
    const response = await put([BEARER, JSON_TYPE, ['Content-Encoding', coding]], gzipSync(Buffer.from('{"client_id":"42"}')));
    expect(response.status).toBe(200);
    expect(authority.received).toEqual([expect.objectContaining({ metadataJson: '{"client_id":"42"}' })]);
  });

  it.each([
    ['a lone continuation byte', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0x80, 0x22, 0x7d])],
    ['an overlong encoding', Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')])],
    ['a UTF-16 surrogate encoded in UTF-8', Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')])],
    ['Latin-1 text', Buffer.from('{"client_name":"Café"}', 'latin1')],
  ])('refuses %s with 400 invalid_client_metadata instead of relaying U+FFFD', async (_case, body) => {
    authority.received.length = 0;
    expectJsonError(await put([BEARER, JSON_TYPE], body), 400, 'invalid_client_metadata');
    expect(authority.received).toHaveLength(0);
  });

  it('relays valid UTF-8 byte for byte, U+FFFD sent by the client included', async () => {
    authority.received.length = 0;
    const text = '{"client_id":"42","client_name":"Café \uFFFD 日本 🎉"}';
    expect((await put([BEARER, JSON_TYPE], Buffer.from(text, 'utf8'))).status).toBe(200);
    expect(authority.received).toEqual([expect.objectContaining({ metadataJson: text })]);
  });

  it.each([
    ['a body over the limit (413)', 'PUT /register/42', 413],
    ['a path that takes no body (404)', 'POST /nowhere', 404],
    ['a method the path does not serve (405)', 'PATCH /register/42', 405],
  ])('gives the rest of the body after %s two seconds, then closes, however much more is announced', async (_, line, status) => {
    const { answer, lastedMs } = await sendWithoutEnd(
      gateway().url,
      `${line} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer rat-42\r\nContent-Type: application/json\r\nContent-Length: 5000000000\r\n\r\n{`,
    );

    expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(lastedMs).toBeGreaterThan(1_500);
    expect(lastedMs).toBeLessThan(4_000);
  }, 15_000);

  it('keeps the connection for the next request once the rest of a refused body has arrived within the two seconds', async () => {
    const oversized = `{"client_id":"42","client_name":"${'x'.repeat(LIMIT)}"}`;
    const refused = `PUT /register/42 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer rat-42\r\nContent-Type: application/json\r\nContent-Length: ${oversized.length}\r\n\r\n${oversized}`;
    const next = 'PUT /register/42 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer rat-42\r\nContent-Type: application/json\r\nContent-Length: 18\r\n\r\n{"client_id":"42"}';
    const { port } = new URL(gateway().url);
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(refused + next));
    const statuses = await new Promise<string[]>((resolve, reject) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('latin1');
        const found = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((line) => line[1] ?? '');
        if (found.length === 2) resolve(found);
      });
      socket.on('close', () => reject(new Error(`closed after: ${text}`)));
    });
    socket.destroy();

    expect(statuses).toEqual(['413', '200']);
  });
});
