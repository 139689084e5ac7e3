import type { Decision } from './answer';
import { clientInformation } from './client-information';
import { checkMetadata, ISSUED_FIELDS, parseMetadataObject, withoutFields } from './client-metadata';
import type { StoredClient } from './client-store';
import { sameSecret } from './credentials';
import { refusalDecision, successDecision } from './decisions';
import type { MockState } from './mock-state';
import { PROBLEM, refusal, type Refusal } from './refusal';

// One message for an unknown client and for a wrong token, so the answer tells nobody which client IDs exist.
const MESSAGE = 'The registration access token is not valid for this client.';

type TokenRefusal =
  | { readonly action: 'UNAUTHORIZED'; readonly refusal: Refusal }
  | { readonly action: 'BAD_REQUEST'; readonly refusal: Refusal };

/**
 * How a management call with an unknown client or a wrong registration access token is refused. With Authlete's
 * `unauthorizedOnClientConfigSupported` off, the answer is BAD_REQUEST, and its OAuth error is then
 * `invalid_request`: RFC 6750 section 3.1 pairs that code with 400, `invalid_token` with 401.
 */
function tokenRefusal(unauthorizedOnClientConfigSupported: boolean): TokenRefusal {
  return unauthorizedOnClientConfigSupported
    ? { action: 'UNAUTHORIZED', refusal: refusal('invalid_token', PROBLEM.tokenRefused, MESSAGE) }
    : { action: 'BAD_REQUEST', refusal: refusal('invalid_request', PROBLEM.tokenRefusedAsBadRequest, MESSAGE) };
}

export interface ManagementCall {
  readonly clientId: string;
  readonly token: string;
}

// RFC 7592 section 2.2: the client must not send these back on update.
const NOT_TO_BE_SENT = ['registration_access_token', 'registration_client_uri', 'client_secret_expires_at', 'client_id_issued_at'] as const;

/** RFC 7592 section 2.1: the current client information, the registration access token as presented. */
export function readDecision(state: MockState, call: ManagementCall): Decision<'read'> {
  const client = state.store.authenticate(call.clientId, call.token);
  if (client === undefined) {
    const { action, refusal: why } = tokenRefusal(state.unauthorizedOnClientConfigSupported);
    return refusalDecision('read', action, why);
  }
  return successDecision('read', 'OK', client, clientInformation(client, call.token));
}

/** RFC 7592 section 2.3: the client is forgotten; DELETED carries no content. */
export function deletionDecision(state: MockState, call: ManagementCall): Decision<'delete'> {
  const client = state.store.authenticate(call.clientId, call.token);
  if (client === undefined) {
    const { action, refusal: why } = tokenRefusal(state.unauthorizedOnClientConfigSupported);
    return refusalDecision('delete', action, why);
  }
  state.store.remove(client.clientId);
  return successDecision('delete', 'DELETED', client);
}

function updateRuleBroken(client: StoredClient, fields: Readonly<Record<string, unknown>>): Refusal | undefined {
  if (!Object.hasOwn(fields, 'client_id') || fields['client_id'] !== client.clientId) {
    return refusal('invalid_request', PROBLEM.clientIdMismatch, "client_id must be present and equal the client's ID.");
  }
  const sent = NOT_TO_BE_SENT.filter((name) => Object.hasOwn(fields, name));
  if (sent.length > 0) return refusal('invalid_client_metadata', PROBLEM.issuedFieldSent, `${sent.join(', ')} must not be sent on update.`);
  if (Object.hasOwn(fields, 'client_secret')) {
    const secret = fields['client_secret'];
    if (typeof secret !== 'string' || !sameSecret(secret, client.clientSecret)) {
      return refusal('invalid_client_metadata', PROBLEM.clientSecretMismatch, "client_secret is not the client's current secret.");
    }
  }
  return undefined;
}

/**
 * RFC 7592 section 2.2: the sent metadata replaces the stored metadata (defaults filled again); client ID,
 * secret and registration access token stay as they are.
 */
export function updateDecision(state: MockState, call: ManagementCall & { readonly json: string }): Decision<'update'> {
  const client = state.store.authenticate(call.clientId, call.token);
  if (client === undefined) {
    const { action, refusal: why } = tokenRefusal(state.unauthorizedOnClientConfigSupported);
    return refusalDecision('update', action, why);
  }
  const sent = parseMetadataObject(call.json, state.limits.maxMetadataBytes);
  if (!sent.ok) return refusalDecision('update', 'BAD_REQUEST', sent.refusal);
  const broken = updateRuleBroken(client, sent.fields);
  if (broken !== undefined) return refusalDecision('update', 'BAD_REQUEST', broken);
  const checked = checkMetadata(withoutFields(sent.fields, ISSUED_FIELDS));
  if (!checked.ok) return refusalDecision('update', 'BAD_REQUEST', checked.refusal);

  const updated: StoredClient = { ...client, metadata: checked.metadata, modifiedAt: Math.floor(state.now()) };
  const information = clientInformation(updated, call.token);
  state.store.put(updated);
  return successDecision('update', 'UPDATED', updated, information);
}
