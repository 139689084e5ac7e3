import { randomUUID } from 'node:crypto';
import type { FrameContext } from './request-frame';

// A caller's ID is reused only when it is short and plain, so it can sit in a log line and a header unescaped.
const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Request-Id when it is plain enough to echo and log, or a new one; echoed on the answer. */
export function assignRequestId(ctx: FrameContext): void {
  const offered = ctx.req.headers['x-request-id'];
  const requestId = typeof offered === 'string' && ACCEPTABLE.test(offered) ? offered : randomUUID();
  ctx.state.requestId = requestId;
  ctx.res.setHeader('X-Request-Id', requestId);
}
