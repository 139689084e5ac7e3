import { isIPv6 } from 'node:net';

/** `a.b.c.d` as the two 16-bit groups it fills at the end of an IPv6 address, or undefined. */
function dottedGroups(dotted: string): string[] | undefined {
  const bytes = dotted.split('.').map(Number);
  if (bytes.length !== 4 || bytes.some((byte) => !Number.isInteger(byte) || byte < 0 || byte > 255)) return undefined;
  const [a = 0, b = 0, c = 0, d = 0] = bytes;
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}

/** The eight 16-bit groups of an IPv6 address (an IPv4 tail written dotted too), or undefined when it is not one. */
function groups(address: string): string[] | undefined {
  const lastColon = address.lastIndexOf(':');
  const tail4 = address.includes('.') ? dottedGroups(address.slice(lastColon + 1)) : undefined;
  if (address.includes('.') && tail4 === undefined) return undefined;
  const ip = tail4 === undefined ? address : `${address.slice(0, lastColon + 1)}${tail4.join(':')}`;
  const [head = '', tail] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  if ([...left, ...right].some((group) => !/^[0-9a-f]{1,4}$/i.test(group))) return undefined;
  const fill = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  const all = [...left, ...fill, ...right];
  return all.length === 8 ? all : undefined;
}

/** `::ffff:` followed by a dotted IPv4 address, in any case: an IPv4 client as a dual-stack socket reports it. */
const MAPPED_DOTTED = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;

/** The dotted IPv4 address an IPv4-mapped IPv6 address written in hex (`::ffff:c000:201`) stands for, or undefined. */
function mappedHex(all: readonly string[]): string | undefined {
  if (!all.slice(0, 5).every((group) => Number.parseInt(group, 16) === 0) || Number.parseInt(all[5] ?? '', 16) !== 0xffff) return undefined;
  const high = Number.parseInt(all[6] ?? '', 16);
  const low = Number.parseInt(all[7] ?? '', 16);
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

/**
 * The key a per-address limit counts under. An IPv4 address is itself, and so is the same address mapped into IPv6
 * (`::ffff:192.0.2.1` as a dual-stack listener reports it, or `::ffff:c000:201`), so that one client is one count
 * whichever form a proxy or the socket gives; an IPv6 address counts as its /64, the block one subscriber or host is
 * given, so that walking through the addresses of one's own block does not reset the count.
 */
export function limitKey(ip: string): string {
  // Most addresses are IPv4: no colon needs no IPv6 parse.
  if (!ip.includes(':')) return ip;
  const dotted = MAPPED_DOTTED.exec(ip)?.[1];
  if (dotted !== undefined) return dotted;
  if (!isIPv6(ip)) return ip;
  // A zone (`fe80::1%eth0`) names the sender's own interface, not the address: it must not make a new key.
  const all = groups(ip.split('%')[0] ?? ip);
  if (all === undefined) return ip;
  return mappedHex(all) ?? `${all.slice(0, 4).map((group) => group.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
