import { sendRefusal, sendReply } from '../http-reply';
import { REPLIES } from '../replies';
import type { FrameContext } from './request-frame';

/**
 * What the router left without a body gets the gateway's shape: an unknown path (404), a method the path does not
 * serve (405/501, keeping the router's Allow header where it names any), and OPTIONS on a served path (204 with
 * Allow, no body).
 */
export function answerUnrouted(ctx: FrameContext): void {
  if (ctx.method === 'OPTIONS' && ctx.status === 200 && ctx.response.get('Allow') !== '') {
    sendReply(ctx, REPLIES.optionsAnswered(ctx.response.get('Allow')));
    return;
  }
  if (ctx.body !== undefined && ctx.body !== null) return;
  if (ctx.status === 404) sendRefusal(ctx, REPLIES.notFound);
  else if (ctx.status === 405) sendRefusal(ctx, REPLIES.methodNotAllowed(ctx.response.get('Allow')));
  else if (ctx.status === 501) {
    // The router lists the path's methods, none on a path that serves nothing; an empty Allow would say no method is.
    if (ctx.response.get('Allow') === '') ctx.remove('Allow');
    sendRefusal(ctx, REPLIES.methodNotImplemented);
  }
}
