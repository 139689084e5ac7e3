import type { IncomingHttpHeaders } from 'node:http';
import { sameSecret } from './credentials';
import type { ApiPath } from './route';

export interface ServiceAccess {
  /** v3: the Bearer token every call must carry; unchecked when unset. */
  readonly serviceAccessToken?: string;
  /** v3: the service ID the paths must name; unchecked when unset. */
  readonly serviceId?: string;
  /** v2: the HTTP Basic user name and password every call must carry; unchecked when unset. */
  readonly serviceApiKey?: string;
  readonly serviceApiSecret?: string;
}

export type AccessCheck = 'granted' | 'no_valid_token' | 'no_valid_credentials' | 'other_service';

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;
const BASIC = /^Basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i;

function basicPair(headers: IncomingHttpHeaders): readonly [string, string] | undefined {
  const encoded = BASIC.exec(headers.authorization ?? '')?.[1];
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

function v2Access(expected: ServiceAccess, headers: IncomingHttpHeaders): AccessCheck {
  const { serviceApiKey: key, serviceApiSecret: secret } = expected;
  if (key === undefined || secret === undefined) return 'granted';
  const pair = basicPair(headers);
  if (pair === undefined) return 'no_valid_credentials';
  // Both halves are compared, whatever the first says, so the timing tells nothing about which one was wrong.
  const keyMatches = sameSecret(pair[0], key);
  const secretMatches = sameSecret(pair[1], secret);
  return keyMatches && secretMatches ? 'granted' : 'no_valid_credentials';
}

/** Authlete's own gate in front of every API: the service's credentials, and (v3) a token that covers this service. */
export function checkServiceAccess(expected: ServiceAccess, headers: IncomingHttpHeaders, path: ApiPath): AccessCheck {
  if (path.api === 'v2') return v2Access(expected, headers);
  if (expected.serviceAccessToken !== undefined) {
    const presented = BEARER.exec(headers.authorization ?? '')?.[1];
    if (presented === undefined || !sameSecret(presented, expected.serviceAccessToken)) return 'no_valid_token';
  }
  if (expected.serviceId !== undefined && path.serviceId !== expected.serviceId) return 'other_service';
  return 'granted';
}
