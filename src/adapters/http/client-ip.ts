import { isIP, SocketAddress } from 'node:net';
import type { ParameterizedContext } from 'koa';

/**
 * A forwarded entry written with a port, as some proxies write them: `192.0.2.1:5678`, `[2001:db8::1]:443`; or an
 * IPv6 address in brackets without one. Brackets hold IPv6 only, and a port is at most 65535: anything else is
 * the sender's own text.
 */
const WITH_PORT = /^(?:\[([^\]]+)\]|(\d{1,3}(?:\.\d{1,3}){3}))(?::(\d{1,5}))?$/;
const HIGHEST_PORT = 65_535;

/** The address in a forwarded entry, with any port (and IPv6 brackets) taken off, or undefined when none is. */
function addressIn(entry: string): string | undefined {
  // A zone ID (`fe80::1%anything`) passes isIP, but no forwarded client has one: its text is the sender's choice.
  if (entry.includes('%')) return undefined;
  if (isIP(entry) !== 0) return entry;
  const match = WITH_PORT.exec(entry);
  if (match === null || Number(match[3] ?? 0) > HIGHEST_PORT) return undefined;
  const [, bracketed, dotted] = match;
  if (bracketed !== undefined) return isIP(bracketed) === 6 ? bracketed : undefined;
  return dotted !== undefined && isIP(dotted) === 4 ? dotted : undefined;
}

/**
 * The forwarded address as the system writes it (`2001:DB8:0:0::1` as `2001:db8::1`), so that the log and the
 * audit trail name one client one way whatever spelling a proxy passed on. IPv4 has one spelling isIP accepts.
 */
function forwardedAddress(entry: string): string | undefined {
  const address = addressIn(entry);
  return address?.includes(':') === true ? new SocketAddress({ address, family: 'ipv6' }).address : address;
}

/**
 * The client's address: Koa's `ctx.ip` (the TCP peer, or with TRUST_PROXY_HOPS the entry of X-Forwarded-For that
 * many hops back, its port taken off: Azure's application gateway, among others, forwards `address:port`). An
 * entry that is no IP address (a proxy that passes the client's header on unchecked) is not believed: limits and
 * logs then key on the peer, which the client cannot choose. Read once per request, on arrival (see
 * frame/note-client-ip.ts): once the client has hung up, its socket no longer knows the peer.
 */
export function clientIp(ctx: ParameterizedContext<unknown>): string {
  const ip = ctx.ip;
  if (!ctx.app.proxy) return unmapped(ip);
  return unmapped(forwardedAddress(ip) ?? ctx.req.socket.remoteAddress ?? '');
}

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * An IPv4 client as a dual-stack listener (HOST=::) reports it, `::ffff:192.0.2.1`, written as the IPv4 address it
 * is, so the log and the audit trail name it as an IPv4 listener would, and as the limits count it.
 */
function unmapped(ip: string): string {
  if (!ip.startsWith('::')) return ip;
  return MAPPED_IPV4.exec(ip)?.[1] ?? ip;
}
