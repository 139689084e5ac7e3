import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { decision } from '../../support/fake-authority';
import { gatewayWithFakeAuthority } from '../../support/gateway-under-test';
import { send, type ReceivedResponse } from '../../support/http-client';
import { testConfig } from '../../support/test-config';

const LIMIT = 2048;
const BEARER = ['Authorization', 'Bearer rat-42'] as const;
const JSON_TYPE = ['Content-Type', 'application/json'] as const;

/** Sends bytes as they are, for requests no HTTP client would produce. */
function sendRaw(url: string, raw: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.end(raw));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

function expectJsonError(response: ReceivedResponse, status: number, error: string): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe('application/json');
  expect(response.headers['cache-control']).toBe('no-store');
  expect(JSON.parse(response.body)).toEqual({ error, error_description: expect.any(String) });
}

describe('hostile input is answered locally with a JSON 4xx and never reaches the authority', () => {
  const { authority, gateway } = gatewayWithFakeAuthority(testConfig({ BODY_LIMIT_BYTES: LIMIT }));
  beforeAll(() => {
    authority.answers(decision('UPDATED', '{"client_id":"42"}'));
  });
  afterEach(() => {
    expect(authority.received).toHaveLength(0);
  });

  const put = (headers: ReadonlyArray<readonly [string, string]>, body?: string | Buffer, path = '/register/42') =>
    send(`${gateway().url}${path}`, { method: 'PUT', headers, ...(body !== undefined && { body }) });

  describe('bodies', () => {
    it.each([
      ['malformed JSON', '{"client_id": "42",'],
      ['a JSON array', '[{"client_id":"42"}]'],
      ['a JSON string', '"client"'],
      ['a JSON number', '42'],
      ['JSON null', 'null'],
      ['an empty body', ''],
      ['only blanks', '   \n '],
      ['a prototype-polluting key', '{"__proto__":{"admin":true}}'],
    ])('refuses %s with 400 invalid_client_metadata', async (_case, body) => {
      expectJsonError(await put([BEARER, JSON_TYPE], body), 400, 'invalid_client_metadata');
    });

    it('refuses a PUT with no body at all with 400', async () => {
      expectJsonError(await put([BEARER, JSON_TYPE]), 400, 'invalid_client_metadata');
    });

    it('refuses a body over the limit with 413', async () => {
      const body = JSON.stringify({ client_id: '42', client_name: 'x'.repeat(LIMIT) });
      expectJsonError(await put([BEARER, JSON_TYPE], body), 413, 'invalid_request');
    });

    it('refuses a gzip body that inflates beyond the limit with 413', async () => {
      const bomb = gzipSync(JSON.stringify({ client_id: '42', padding: ' '.repeat(LIMIT * 50) }));
      expect(bomb.length).toBeLessThan(LIMIT);
      expectJsonError(await put([BEARER, JSON_TYPE, ['Content-Encoding', 'gzip']], bomb), 413, 'invalid_request');
    });

    it('refuses an unknown Content-Encoding with 415', async () => {
      expectJsonError(await put([BEARER, JSON_TYPE, ['Content-Encoding', 'compress']], '{"client_id":"42"}'), 415, 'invalid_request');
    });

    it.each([
      ['text/plain', 'text/plain'],
      ['a form', 'application/x-www-form-urlencoded'],
      ['XML', 'application/xml'],
      ['JSON in another charset', 'application/json; charset=iso-8859-1'],
    ])('refuses %s with 415', async (_case, type) => {
      expectJsonError(await put([BEARER, ['Content-Type', type]], '{"client_id":"42"}'), 415, 'invalid_request');
    });

    it('refuses a body without Content-Type with 415', async () => {
      expectJsonError(await put([BEARER], '{"client_id":"42"}'), 415, 'invalid_request');
    });

    it('refuses a registration body the same way', async () => {
      const response = await send(`${gateway().url}/register`, { method: 'POST', headers: [JSON_TYPE], body: '[1,2]' });
      expectJsonError(response, 400, 'invalid_client_metadata');
    });
  });

  describe('credentials', () => {
    it.each([
      ['Basic credentials', [['Authorization', 'Basic cmF0OjQy']], 401, 'invalid_token'],
      ['a DPoP token', [['Authorization', 'DPoP abc']], 401, 'invalid_token'],
      ['two tokens in one header', [['Authorization', 'Bearer abc def']], 400, 'invalid_request'],
      ['a comma list of tokens', [['Authorization', 'Bearer abc, Bearer def']], 400, 'invalid_request'],
      ['two Authorization headers', [['Authorization', 'Bearer abc'], ['Authorization', 'Bearer def']], 400, 'invalid_request'],
      ['a token with illegal characters', [['Authorization', 'Bearer <script>']], 400, 'invalid_request'],
    ] as const)('answers %s with %i %s', async (_case, headers, status, error) => {
      const response = await put([...headers, JSON_TYPE], '{"client_id":"42"}');
      expectJsonError(response, status, error);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it('refuses a token in the query string with 400, even beside a header', async () => {
      expectJsonError(await put([BEARER, JSON_TYPE], '{"client_id":"42"}', '/register/42?access_token=rat-42'), 400, 'invalid_request');
      const read = await send(`${gateway().url}/register/42?access_token=rat-42`, { method: 'GET' });
      expectJsonError(read, 400, 'invalid_request');
    });
    it('keeps a token written into the path out of the access log', async () => {
      // Before, /register/42;access_token=... was refused but logged with the token in its path.
      const paths = ['42;access_token=', '42;ACCESS%5FTOKEN=', '42;%61ccess_token=', '42;access_token%3D', '%61ccess%5Ftoken=', 'access_token='];
      for (const path of paths) {
        const read = await send(`${gateway().url}/register/${path}rat-in-path-9d1f`, { method: 'GET', headers: [['Authorization', 'Bearer rat-42']] });
        expectJsonError(read, 400, 'invalid_request');
      }
      expect(gateway().log.text()).not.toContain('rat-in-path-9d1f');
      expect(gateway().log.records().filter((line) => String(line['path']).includes('[redacted]')).map((line) => line['path'])).toEqual([
        '/register/42;[redacted]',
        '/register/42;[redacted]',
        '/register/42;[redacted]',
        '/register/42;[redacted]',
        '/register/[redacted]',
        '/register/[redacted]',
      ]);
    });
  });

  describe('client IDs in the path', () => {
    it.each([
      ['non-ASCII', '/register/cl%C3%A9'],
      ['an encoded slash', '/register/a%2Fb'],
      ['dot-dot', '/register/..'],
      ['encoded dot-dot', '/register/%2E%2E'],
      ['a lone dot', '/register/.'],
      ['broken percent-encoding', '/register/%zz'],
      ['a space', '/register/a%20b'],
      ['300 characters', `/register/${'a'.repeat(300)}`],
      ['a NUL byte', '/register/a%00b'],
    ])('refuses %s with 400 invalid_request', async (_case, path) => {
      expectJsonError(await put([BEARER, JSON_TYPE], '{"client_id":"42"}', path), 400, 'invalid_request');
    });

    it('decodes a percent-encoded ID that is plain once decoded', async () => {
      const response = await put([BEARER, JSON_TYPE], '{"client_id":"42"}', '/register/%34%32');
      expect(response.status).toBe(200);
      expect(authority.received).toEqual([expect.objectContaining({ clientId: '42' })]);
      authority.received.length = 0;
    });
  });

  describe('requests Node cannot parse', () => {
    it('answers headers over 16 KiB with a JSON 431', async () => {
      const response = await put([BEARER, JSON_TYPE, ['X-Padding', 'p'.repeat(20_000)]], '{"client_id":"42"}');
      expectJsonError(response, 431, 'invalid_request');
    });

    it('answers a garbled request line with a JSON 400', async () => {
      const answer = await sendRaw(gateway().url, 'PUT /register/42 HTTP/1.1 extra\r\nHost: x\r\n\r\n');
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toContain('Content-Type: application/json');
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
    });

    it('answers an unknown method with a JSON 501, logged as the client\'s doing (info), not as a server error', async () => {
      const response = await send(`${gateway().url}/register/42`, { method: 'PROPFIND', headers: [BEARER, ['X-Request-Id', 'propfind-1']] });
      expectJsonError(response, 501, 'method_not_allowed');
      // Anyone can send an unknown method: at error level, an attacker could page the operator at will.
      expect(gateway().log.records().filter((line) => line['requestId'] === 'propfind-1')).toEqual([expect.objectContaining({ level: 'info', status: 501 })]);
      expect(response.headers['allow']).toBe('HEAD, GET, PUT, DELETE');
    });

    it('sends no empty Allow with a 501 on a path that serves nothing: an empty one would say the path allows no method', async () => {
      const response = await send(`${gateway().url}/nowhere`, { method: 'PROPFIND' });
      expectJsonError(response, 501, 'method_not_allowed');
      expect(response.headers).not.toHaveProperty('allow');
    });

    it('answers CONNECT (a tunnel request) with the same JSON 501, rather than closing without a word', async () => {
      const answer = await sendRaw(gateway().url, 'CONNECT client.example.org:443 HTTP/1.1\r\nHost: client.example.org:443\r\n\r\n');
      expect(answer).toMatch(/^HTTP\/1\.1 501 /);
      expect(answer).toContain('Content-Type: application/json');
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ error: 'method_not_allowed', error_description: expect.any(String) });
    });
  });
});
