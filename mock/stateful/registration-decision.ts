import type { Decision } from './answer';
import { clientInformation } from './client-information';
import { checkMetadata, ISSUED_FIELDS, parseMetadataObject, withoutFields } from './client-metadata';
import type { StoredClient } from './client-store';
import { newClientId, randomCredential, tokenDigest } from './credentials';
import { refusalDecision, successDecision } from './decisions';
import type { MockState } from './mock-state';

/** RFC 7591 registration: check the metadata, issue the credentials, keep the client. */
export function registrationDecision(state: MockState, json: string): Decision<'register'> {
  const sent = parseMetadataObject(json, state.limits.maxMetadataBytes);
  if (!sent.ok) return refusalDecision('register', 'BAD_REQUEST', sent.refusal);
  // Values for fields the server issues are not the client's to choose; like Authlete, the mock ignores them.
  const checked = checkMetadata(withoutFields(sent.fields, ISSUED_FIELDS));
  if (!checked.ok) return refusalDecision('register', 'BAD_REQUEST', checked.refusal);

  const clientId = newClientId((candidate) => state.store.has(candidate));
  const registrationAccessToken = randomCredential();
  const now = Math.floor(state.now());
  const client: StoredClient = {
    clientId,
    clientSecret: randomCredential(),
    registrationAccessTokenDigest: tokenDigest(registrationAccessToken),
    // A trailing slash on the base would double up before the client ID.
    registrationClientUri: `${state.managementBaseUrl().replace(/\/+$/, '')}/${clientId}`,
    issuedAt: now,
    modifiedAt: now,
    metadata: checked.metadata,
  };
  // Written out before it is kept: a client whose information cannot be written must not be stored.
  const information = clientInformation(client, registrationAccessToken);
  state.store.put(client);
  return successDecision('register', 'CREATED', client, information);
}
