import { randomUUID } from 'node:crypto';

// A caller's ID is reused only when it is short and plain, so it can sit in a log line and a header unescaped.
const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Request-Id when it is plain enough to echo and log, or a new one. */
export function requestIdFor(offered: string | string[] | undefined): string {
  return typeof offered === 'string' && ACCEPTABLE.test(offered) ? offered : randomUUID();
}
