import { readFileSync } from 'node:fs';

/** "0100007F" (little-endian IPv4 in /proc/net/tcp) → "127.0.0.1"; a 32-digit IPv6 one → "::" when all zero. */
function decode(hex: string): string {
  if (hex.length === 8) return [6, 4, 2, 0].map((at) => parseInt(hex.slice(at, at + 2), 16)).join('.');
  if (/^0+$/.test(hex)) return '::';
  if (hex === '00000000000000000000000001000000') return '::1';
  return hex;
}

/**
 * The local addresses the system has a listening TCP socket on for `port`, read from /proc/net/tcp{,6}: what the
 * kernel says, whatever the process believes.
 */
export function listeningAddresses(port: number): string[] {
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      const [address, portHex] = (local ?? '').split(':');
      // 0A is TCP_LISTEN.
      if (state === '0A' && address !== undefined && portHex !== undefined && parseInt(portHex, 16) === port) found.push(decode(address));
    }
  }
  return found;
}
