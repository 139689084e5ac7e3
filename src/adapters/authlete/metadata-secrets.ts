/**
 * The members of client metadata whose values are credentials: `client_secret` (RFC 7591 section 3.2.1, OIDC
 * Dynamic Client Registration section 3.2), which RFC 7592 section 2.2 has a client send back on every update;
 * `registration_access_token` (RFC 7592 section 3), which a client may copy into its metadata from the answer
 * it was given; and `software_statement` (RFC 7591 section 2.3), a signed assertion that may be presented to
 * register, like a credential, wherever it is not bound to its holder.
 */
const SECRET_MEMBERS = ['client_secret', 'registration_access_token', 'software_statement'] as const;

/**
 * The secret values of a client's metadata text, as sent and as written inside a JSON string, for cutting out
 * of Authlete's text before a log line carries it. Only for the failure path: it parses the text again. The text
 * is the client's, already read as a JSON object by the body step, and still untrusted here: a value that is
 * not a non-empty string is no secret to look for, and text that does not parse has none.
 */
export function metadataSecrets(metadataJson: string): string[] {
  let metadata: unknown;
  try {
    // JSON.parse makes a "__proto__" member an own property, never the prototype; only own members are read.
    metadata = JSON.parse(metadataJson);
  } catch {
    return [];
  }
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return [];
  const secrets: string[] = [];
  for (const member of SECRET_MEMBERS) {
    const value: unknown = Object.getOwnPropertyDescriptor(metadata, member)?.value;
    if (typeof value === 'string' && value.length > 0) secrets.push(value, JSON.stringify(value).slice(1, -1));
  }
  return secrets;
}
