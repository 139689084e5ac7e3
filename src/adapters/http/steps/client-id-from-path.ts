import { type RequestContext, proceed, stop, type StepResult } from '../pipeline';
import { REPLIES } from '../replies';

// A client ID has to come back out of `registration_client_uri` unchanged, so only characters a path segment
// carries without escaping are accepted; '.' and '..' would be read as path steps by anything on the way.
const CLIENT_ID = /^[A-Za-z0-9._~-]{1,255}$/;

/** Whether a (percent-decoded) path segment, or an ID from elsewhere, could be a client ID at all. */
export function isPlausibleClientId(candidate: string): boolean {
  return CLIENT_ID.test(candidate) && candidate !== '.' && candidate !== '..';
}

/** The client a management request (RFC 7592) names in its path; one that cannot exist is not sent upstream. */
export function clientIdFromPath(ctx: RequestContext): StepResult<{ clientId: string }> {
  const clientId = ctx.params['clientId'] ?? '';
  if (!isPlausibleClientId(clientId)) return stop(REPLIES.clientIdImplausible);
  ctx.state.clientId = clientId;
  return proceed({ clientId });
}
