import type { Context, ParameterizedContext } from 'koa';
import type { GatewayState } from './gateway-state';

/** A response decided by the gateway: status, extra headers, and a JSON body where there is one. */
export interface HttpReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON text, sent as it is; absent for a response without a body (204). */
  readonly json?: string;
  /** The `error` code of a reply the gateway made up itself, for the log. */
  readonly error?: string;
}

/** Every error the gateway itself produces has this shape (RFC 6749 section 5.2, RFC 7591 section 3.2.2). */
export function jsonError(status: number, error: string, description: string, headers?: Record<string, string>): HttpReply {
  return { status, error, json: JSON.stringify({ error, error_description: description }), ...(headers && { headers }) };
}

export function sendReply(ctx: Context, reply: HttpReply): void {
  ctx.status = reply.status;
  if (reply.headers !== undefined) ctx.set(reply.headers);
  if (reply.json === undefined) {
    ctx.body = null;
    ctx.remove('Content-Type');
    return;
  }
  // Set before the body, or Koa would call the string text/plain; exactly application/json, as Authlete advises.
  ctx.set('Content-Type', 'application/json');
  ctx.body = reply.json;
}

/**
 * Sends a reply that stopped the request before its registration call, and notes the refusal for the log and the
 * metrics, unless the step that stopped it noted another outcome (the token's introspection failed).
 */
export function sendRefusal(ctx: ParameterizedContext<GatewayState>, reply: HttpReply): void {
  ctx.state.outcome ??= 'refused';
  if (reply.error !== undefined) ctx.state.refusal = reply.error;
  sendReply(ctx, reply);
}
