import type { FrameContext } from './request-frame';

/** Registration answers carry credentials (RFC 7591 section 3.2): no cache may keep any answer of the gateway's. */
export function forbidCaching(ctx: FrameContext): void {
  ctx.res.setHeader('Cache-Control', 'no-store');
  ctx.res.setHeader('Pragma', 'no-cache');
}
