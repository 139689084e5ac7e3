import type { HttpReply } from '../http-reply';
import { REPLIES } from '../replies';
import type { DrainState } from '../drain-state';
import type { FrameContext } from './request-frame';

/** Requests received so far on each connection. Node writes the answers in that order, whichever is ready first. */
const received = new WeakMap<object, number>();
/** Connections whose last answer so far closes them: a request read after it would never be answered. */
const closing = new WeakSet<object>();

/** Numbers each request among those received on its connection. */
export function noteArrival(ctx: FrameContext): void {
  const place = (received.get(ctx.req.socket) ?? 0) + 1;
  received.set(ctx.req.socket, place);
  ctx.state.arrival = place;
}

/**
 * A request that arrives behind an answer that closes its connection (RFC 9112 section 9.6: no further request is
 * processed) is not handled: its answer could never be written, and a registration would create a client whose
 * credentials nobody receives.
 */
export function refuseBehindClose(ctx: FrameContext): HttpReply | undefined {
  return closing.has(ctx.req.socket) ? REPLIES.draining : undefined;
}

/**
 * Once shutdown has begun, answers close their connections, so clients move to another replica; but only the
 * answer to the last request received so far on a connection, so that requests already read behind it are still
 * answered. Node reads pipelined requests as it goes, so one read after that answer is not handled at all.
 */
export function closeWhenDraining(drain: DrainState): (ctx: FrameContext) => void {
  return (ctx) => {
    if (!drain.draining || ctx.state.arrival !== received.get(ctx.req.socket)) return;
    ctx.res.setHeader('Connection', 'close');
    closing.add(ctx.req.socket);
  };
}
