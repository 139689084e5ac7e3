import { z } from 'zod';
import type { RegistrationOutcome } from '../../domain/outcome';
import type { ParameterizedContext } from 'koa';
import type { GatewayState } from './gateway-state';
import type { RequestContext } from './pipeline';
import { isPlausibleClientId } from './steps/client-id-from-path';

/** Authlete's responseContent is a few kilobytes; anything far larger is not parsed just to name a client. */
const MAX_CONTENT_TO_READ = 256 * 1024;

const createdClient = z.object({ client_id: z.string() });

/** The client_id in a CREATED answer's content, when it is there and plausible. */
function createdClientId(content: string): string | undefined {
  if (content.length > MAX_CONTENT_TO_READ) return undefined;
  try {
    const parsed = createdClient.safeParse(JSON.parse(content));
    return parsed.success && isPlausibleClientId(parsed.data.client_id) ? parsed.data.client_id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the client's connection ended before its answer was written out: the client hung up, or the gateway cut
 * the connection at the end of the shutdown grace period (which leaves `res.destroyed` false; the socket says it).
 */
export function clientGone(ctx: ParameterizedContext<GatewayState>): boolean {
  return (ctx.res.destroyed || ctx.req.socket.destroyed) && !ctx.res.writableFinished;
}

/**
 * A client that hung up before its answer: its request is logged as `client_closed`, with what it would have
 * got; when Authlete had already created a client, the log line names it, since nobody received its
 * credentials and it is an orphan to clean up.
 */
export function noteClientClosed(ctx: RequestContext, outcome: RegistrationOutcome): boolean {
  if (!clientGone(ctx)) return false;
  ctx.state.outcome = 'client_closed';
  ctx.state.abandoned = outcome.kind;
  if (outcome.kind === 'created') {
    const clientId = createdClientId(outcome.content);
    if (clientId !== undefined) ctx.state.clientId = clientId;
  }
  return true;
}
