import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthleteApiClient } from '../../../src/adapters/authlete/authlete-api-client';
import { createAuthleteDispatcher, proxyFor } from '../../../src/adapters/authlete/authlete-dispatcher';
import { AuthleteRegistrationAuthority } from '../../../src/adapters/authlete/authlete-registration-authority';
import { v3Dialect } from '../../../src/adapters/authlete/authlete-v3-dialect';
import { CallGuard } from '../../../src/adapters/authlete/call-guard';
import { createLogger } from '../../../src/adapters/logging/create-logger';
import { checkCredentials } from '../../../src/adapters/authlete/credential-check';
import { testAuthleteSettings } from '../../support/test-config';

const none = { httpsProxy: undefined, httpProxy: undefined, noProxy: undefined };

describe('which proxy a call to Authlete goes through', () => {
  it('goes direct without a proxy setting', () => {
    expect(proxyFor('https://us.authlete.com', none)).toBeUndefined();
  });

  it('takes HTTPS_PROXY for https, falling back to HTTP_PROXY, and names the proxy without its credentials', () => {
    expect(proxyFor('https://us.authlete.com', { ...none, httpsProxy: 'http://user:pw@proxy:3128' })).toBe('http://proxy:3128');
    expect(proxyFor('https://us.authlete.com', { ...none, httpProxy: 'http://plain:3128' })).toBe('http://plain:3128');
    expect(proxyFor('http://authlete.internal', { ...none, httpsProxy: 'http://proxy:3128' })).toBeUndefined();
  });

  it.each([
    ['us.authlete.com', true],
    ['.authlete.com', true],
    ['authlete.com', true],
    ['*', true],
    ['us.authlete.com:443', true],
    ['us.authlete.com:8443', false],
    ['jp.authlete.com', false],
    ['other.example, us.authlete.com', true],
  ])('with NO_PROXY=%s goes direct: %s', (noProxy, direct) => {
    expect(proxyFor('https://us.authlete.com', { ...none, httpsProxy: 'http://proxy:3128', noProxy }) === undefined).toBe(direct);
  });
});

describe('an egress proxy that refuses the tunnel', () => {
  let proxy: Server;
  let proxyUrl: string;

  beforeAll(async () => {
    proxy = createServer();
    proxy.on('connect', (_req, socket) => socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n'));
    await new Promise<void>((listening) => proxy.listen(0, '127.0.0.1', listening));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((closed) => proxy.close(closed)));

  it('is a failure to reach Authlete naming the proxy status, and the start-up check says to look at HTTPS_PROXY', async () => {
    const settings = { ...testAuthleteSettings({ AUTHLETE_BASE_URL: 'https://localhost:1' }), proxies: { ...none, httpsProxy: proxyUrl } };
    const dispatcher = createAuthleteDispatcher(settings);
    try {
      const dialect = v3Dialect(createAuthleteApiClient(settings, dispatcher), settings.serviceId, settings.serviceAccessToken);
      const authority = new AuthleteRegistrationAuthority(dialect, settings.timeoutMs, new CallGuard(settings, createLogger('silent')));
      const result = await checkCredentials(authority, settings);
      expect(result).toEqual({ kind: 'failed', failure: { cause: 'unreachable', code: 'PROXY_407' }, fix: expect.stringContaining('HTTPS_PROXY') });
    } finally {
      await dispatcher.close();
    }
  });
});
