import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import type { AuthleteSettings, EgressProxies } from '../../config/gateway-config';

/** Authlete's answers are a few kilobytes; anything far larger is not an answer worth reading. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

function proxied(proxies: EgressProxies): boolean {
  return proxies.httpsProxy !== undefined || proxies.httpProxy !== undefined;
}

/**
 * The connection pool to Authlete: kept-alive sockets reused across calls, bounded in number. With an egress
 * proxy configured, undici's proxy agent opens a CONNECT tunnel through it for an https base URL (NO_PROXY
 * exempts hosts), so the proxy sees only the host and port and never the service token. TLS is verified
 * against Node's CA store, which NODE_EXTRA_CA_CERTS extends for a private CA.
 */
export function createAuthleteDispatcher(settings: AuthleteSettings): Dispatcher {
  const options = { connections: settings.maxConnections, connect: { timeout: settings.timeoutMs }, maxResponseSize: MAX_ANSWER_BYTES };
  const { proxies } = settings;
  if (!proxied(proxies)) return new Agent(options);
  // Passed explicitly, so that what the configuration read and logged is what is used.
  return new EnvHttpProxyAgent({
    ...options,
    ...(proxies.httpsProxy !== undefined && { httpsProxy: proxies.httpsProxy }),
    ...(proxies.httpProxy !== undefined && { httpProxy: proxies.httpProxy }),
    ...(proxies.noProxy !== undefined && { noProxy: proxies.noProxy }),
  });
}

/** The proxy a call to this URL goes through, without the credentials a proxy URL may carry; undefined: direct. */
export function proxyFor(baseUrl: string, proxies: EgressProxies): string | undefined {
  if (!proxied(proxies)) return undefined;
  const target = new URL(baseUrl);
  const proxy = target.protocol === 'https:' ? (proxies.httpsProxy ?? proxies.httpProxy) : proxies.httpProxy;
  if (proxy === undefined || exempt(target, proxies.noProxy)) return undefined;
  return new URL(proxy).origin;
}

// NO_PROXY as undici reads it: '*' exempts everything; an entry matches the host or, with or without a leading
// dot, its subdomains; an entry with a port matches that port only.
function exempt(target: URL, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  const host = target.hostname.replace(/^\[(.+)\]$/, '$1').toLowerCase();
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  return noProxy
    .split(/[,\s]+/)
    .filter((entry) => entry !== '')
    .some((entry) => {
      if (entry === '*') return true;
      const match = /^(.+?)(?::(\d+))?$/.exec(entry.toLowerCase());
      const name = (match?.[1] ?? '').replace(/^\*?\./, '');
      const entryPort = match?.[2] === undefined ? undefined : Number(match[2]);
      return (entryPort === undefined || entryPort === port) && (host === name || host.endsWith(`.${name}`));
    });
}
