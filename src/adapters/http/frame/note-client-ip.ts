import { clientIp } from '../client-ip';
import type { FrameContext } from './request-frame';

/**
 * The client's address, taken on arrival for the limits, the audit trail and the access line. Read at the end, it
 * was empty for a client that had hung up meanwhile (the socket forgets its peer once closed), so a client deleted
 * or registered by someone who hung up at once left no address in the audit trail.
 */
export function noteClientIp(ctx: FrameContext): void {
  ctx.state.clientIp = clientIp(ctx);
}
