import { proxyFor } from '../../../src/adapters/authlete/authlete-dispatcher';

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
