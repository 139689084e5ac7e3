import Router, { type RouterContext } from '@koa/router';
import type { ClientRegistration } from '../../domain/client-registration';
import type { Operation } from '../../domain/operation';
import type { Secret } from '../../domain/secret';
import type { RegistrationOutcome } from '../../domain/outcome';
import type { Checked } from './checked';
import { accepted, refused } from './checked';
import { isPlausibleClientId } from './client-id';
import type { GatewayState } from './gateway-state';
import { refuse, sendReply } from './http-reply';
import { LocalErrors } from './local-errors';
import { createMetadataReader } from './metadata-body';
import { outcomeReply } from './outcome-reply';
import { optionalToken, requireToken } from './request-credentials';

type Ctx = RouterContext<GatewayState>;

export interface RegistrationRouteSettings {
  readonly registrationPath: string;
  readonly bodyLimitBytes: number;
}

function answer(ctx: Ctx, outcome: RegistrationOutcome): void {
  ctx.state.outcome = outcome.kind;
  if (outcome.kind === 'authority_unavailable') ctx.state.failure = outcome.failure;
  sendReply(ctx, outcomeReply(outcome));
}

function clientIdFrom(ctx: Ctx, operation: Operation): Checked<string> {
  ctx.state.operation = operation;
  const clientId = ctx.params['clientId'] ?? '';
  if (!isPlausibleClientId(clientId)) return refused(LocalErrors.clientIdImplausible);
  ctx.state.clientId = clientId;
  return accepted(clientId);
}

/** The client a management request (RFC 7592) names in its path, and the token it proves itself with. */
function managedClient(ctx: Ctx, operation: Operation): Checked<{ clientId: string; registrationAccessToken: Secret }> {
  const clientId = clientIdFrom(ctx, operation);
  if (!clientId.ok) return clientId;
  const token = requireToken(ctx);
  if (!token.ok) return token;
  return accepted({ clientId: clientId.value, registrationAccessToken: token.value });
}

/**
 * The registration endpoint and the client configuration endpoint beneath it. Each handler answers locally
 * whatever needs no authority (path, credentials, body), in that order, and otherwise relays the decision.
 */
export function addRegistrationRoutes(router: Router<GatewayState>, registration: ClientRegistration, settings: RegistrationRouteSettings): void {
  const readMetadata = createMetadataReader(settings.bodyLimitBytes);
  const clientPath = `${settings.registrationPath}/:clientId`;

  router.post(settings.registrationPath, async (ctx) => {
    ctx.state.operation = 'register';
    const token = optionalToken(ctx);
    if (!token.ok) return refuse(ctx, token.reply);
    const metadata = await readMetadata(ctx);
    if (!metadata.ok) return refuse(ctx, metadata.reply);
    const command = token.value === undefined ? { metadataJson: metadata.value } : { metadataJson: metadata.value, initialAccessToken: token.value };
    answer(ctx, await registration.register({ operation: 'register', ...command }));
  });

  router.get(clientPath, async (ctx) => {
    const client = managedClient(ctx, 'read');
    if (!client.ok) return refuse(ctx, client.reply);
    answer(ctx, await registration.read({ operation: 'read', ...client.value }));
  });

  router.put(clientPath, async (ctx) => {
    const client = managedClient(ctx, 'update');
    if (!client.ok) return refuse(ctx, client.reply);
    const metadata = await readMetadata(ctx);
    if (!metadata.ok) return refuse(ctx, metadata.reply);
    answer(ctx, await registration.update({ operation: 'update', ...client.value, metadataJson: metadata.value }));
  });

  router.delete(clientPath, async (ctx) => {
    const client = managedClient(ctx, 'delete');
    if (!client.ok) return refuse(ctx, client.reply);
    answer(ctx, await registration.delete({ operation: 'delete', ...client.value }));
  });
}
