import type { StoredClient } from './client-store';

/** The small camelCase part of Authlete's `Client` record the mock fills in; no secret ever goes here. */
export interface ClientView {
  readonly clientId: number;
  readonly clientName?: string;
  readonly clientType: 'CONFIDENTIAL' | 'PUBLIC';
  readonly redirectUris: readonly string[];
  readonly tokenAuthMethod: string;
  /** Milliseconds since the epoch, as Authlete gives them. */
  readonly createdAt: number;
  readonly modifiedAt: number;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function authMethodOf(client: StoredClient): string {
  return stringOf(client.metadata['token_endpoint_auth_method']) ?? 'client_secret_basic';
}

/** A client that does not authenticate at the token endpoint is public (RFC 6749 section 2.1). */
function isPublic(client: StoredClient): boolean {
  return authMethodOf(client) === 'none';
}

/**
 * The RFC 7591 section 3.2.1 client information response, as JSON text: the issued fields, then the stored
 * metadata. The registration access token is passed in because the store keeps only its digest.
 */
export function clientInformation(client: StoredClient, registrationAccessToken: string): string {
  return JSON.stringify({
    client_id: client.clientId,
    client_id_issued_at: client.issuedAt,
    ...(!isPublic(client) && { client_secret: client.clientSecret }),
    client_secret_expires_at: 0,
    registration_access_token: registrationAccessToken,
    registration_client_uri: client.registrationClientUri,
    ...client.metadata,
  });
}

export function clientView(client: StoredClient): ClientView {
  const uris = client.metadata['redirect_uris'];
  const clientName = stringOf(client.metadata['client_name']);
  return {
    clientId: Number(client.clientId),
    ...(clientName !== undefined && { clientName }),
    clientType: isPublic(client) ? 'PUBLIC' : 'CONFIDENTIAL',
    redirectUris: Array.isArray(uris) ? uris.filter((uri): uri is string => typeof uri === 'string') : [],
    // Authlete spells enum values in upper snake case (CLIENT_SECRET_BASIC); the view follows it.
    tokenAuthMethod: authMethodOf(client).toUpperCase(),
    createdAt: client.issuedAt * 1000,
    modifiedAt: client.modifiedAt * 1000,
  };
}
