import { isIPv6 } from 'node:net';

/** The eight 16-bit groups of an IPv6 address, or undefined when it is not one this reads (an embedded IPv4 form). */
function groups(ip: string): string[] | undefined {
  const [head = '', tail] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  if ([...left, ...right].some((group) => !/^[0-9a-f]{1,4}$/i.test(group))) return undefined;
  const fill = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  const all = [...left, ...fill, ...right];
  return all.length === 8 ? all : undefined;
}

/**
 * The key a per-address limit counts under. An IPv4 address is itself (an IPv4-mapped IPv6 one too); an IPv6 address
 * counts as its /64, the block one subscriber or host is given, so that walking through the addresses of one's own
 * block does not reset the count.
 */
export function limitKey(ip: string): string {
  // Most addresses are IPv4 (or IPv4-mapped): no colon, or the mapped prefix, needs no IPv6 parse.
  if (!ip.includes(':') || ip.startsWith('::ffff:') || !isIPv6(ip)) return ip;
  const all = groups(ip);
  return all === undefined ? ip : `${all.slice(0, 4).map((group) => group.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
