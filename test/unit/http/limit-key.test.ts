import { limitKey } from '../../../src/adapters/http/limit-key';

describe('the key a per-address limit counts under', () => {
  it.each([
    ['198.51.100.7', '198.51.100.7'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::FFFF:198.51.100.7', '198.51.100.7'],
    ['::ffff:c633:6407', '198.51.100.7'],
    ['0:0:0:0:0:FFFF:C633:6407', '198.51.100.7'],
    ['0:0:0:0:0:ffff:198.51.100.7', '198.51.100.7'],
    ['2001:db8::1.2.3.4', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::99', '2001:db8:1:2::/64'],
    ['2001:DB8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s counts as %s', (ip, key) => {
    expect(limitKey(ip)).toBe(key);
  });

  it('counts an IPv4 client once, whether the socket or a proxy gives its address mapped into IPv6 or not', () => {
    // Before, a dual-stack listener's ::ffff:198.51.100.7 and a proxy's 198.51.100.7 were two counts for one client.
    expect(new Set(['198.51.100.7', '::ffff:198.51.100.7', '::FFFF:198.51.100.7', '::ffff:c633:6407'].map(limitKey)).size).toBe(1);
    expect(limitKey('::ffff:198.51.100.8')).not.toBe(limitKey('::ffff:198.51.100.7'));
  });

  it('puts every address of one IPv6 /64 under one key, and another /64 under another', () => {
    expect(new Set(['2001:db8:a:b::1', '2001:db8:a:b:ffff:ffff:ffff:ffff', '2001:db8:a:b:1::2'].map(limitKey)).size).toBe(1);
    expect(limitKey('2001:db8:a:c::1')).not.toBe(limitKey('2001:db8:a:b::1'));
  });
});
