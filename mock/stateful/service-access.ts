import type { IncomingHttpHeaders } from 'node:http';
import { sameSecret } from './credentials';

export interface ServiceAccess {
  readonly serviceAccessToken?: string;
  readonly serviceId?: string;
}

export type AccessCheck = 'granted' | 'no_valid_token' | 'other_service';

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/** Authlete's own gate in front of every API: a service access token, and a token that covers this service. */
export function checkServiceAccess(expected: ServiceAccess, headers: IncomingHttpHeaders, serviceId: string): AccessCheck {
  if (expected.serviceAccessToken !== undefined) {
    const presented = BEARER.exec(headers.authorization ?? '')?.[1];
    if (presented === undefined || !sameSecret(presented, expected.serviceAccessToken)) return 'no_valid_token';
  }
  if (expected.serviceId !== undefined && serviceId !== expected.serviceId) return 'other_service';
  return 'granted';
}
