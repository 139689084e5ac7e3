import { isJsonObject, isStringArray, parseJson, type JsonObject } from './json-value';
import { PROBLEM, refusal, type Refusal } from './refusal';

// RFC 3986 section 3.1: an absolute URI starts with a scheme. Custom schemes (com.example.app:/cb) are allowed,
// as native apps register them (RFC 8252).
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
// The WHATWG parser quietly strips tabs, newlines and edge spaces; a registered URI must match byte for byte.
const INVISIBLE_OR_SPACE = /[\s\u0000-\u001f\u007f]/;

/** What is wrong with a redirect URI (RFC 7591 section 2: absolute, no fragment), or undefined when nothing is. */
function redirectUriProblem(uri: string): string | undefined {
  if (uri.includes('#')) return 'has a fragment';
  if (!SCHEME.test(uri) || INVISIBLE_OR_SPACE.test(uri) || URL.parse(uri) === null) return 'is not an absolute URI';
  return undefined;
}

/** Client metadata as stored: RFC 7591 defaults filled in, nothing the server issues. */
export type Metadata = JsonObject;

export type MetadataCheck = { readonly ok: true; readonly metadata: Metadata } | { readonly ok: false; readonly refusal: Refusal };

export type ObjectCheck = { readonly ok: true; readonly fields: JsonObject } | { readonly ok: false; readonly refusal: Refusal };

/** Fields the server issues (RFC 7591 section 3.2.1, RFC 7592 section 3); they are never stored as metadata. */
export const ISSUED_FIELDS = [
  'client_id',
  'client_secret',
  'registration_access_token',
  'registration_client_uri',
  'client_id_issued_at',
  'client_secret_expires_at',
] as const;

// Standard metadata (RFC 7591 section 2) whose type is plain; anything else is stored as sent, unchecked.
const STRING_FIELDS = [
  'client_name',
  'token_endpoint_auth_method',
  'client_uri',
  'logo_uri',
  'scope',
  'tos_uri',
  'policy_uri',
  'jwks_uri',
  'software_id',
  'software_version',
] as const;
const STRING_ARRAY_FIELDS = ['grant_types', 'response_types', 'contacts'] as const;
const OBJECT_FIELDS = ['jwks'] as const;

// RFC 7591 section 2: these grant types send the user agent back to the client, so they need a redirect URI.
const REDIRECTING_GRANTS: ReadonlySet<string> = new Set(['authorization_code', 'implicit']);

const DEFAULTS: JsonObject = {
  token_endpoint_auth_method: 'client_secret_basic',
  grant_types: ['authorization_code'],
  response_types: ['code'],
};

/** Deeper than any real metadata (jwks is four levels), and far from where JSON.stringify runs out of stack. */
export const MAX_METADATA_DEPTH = 32;

/** Whether the value nests arrays and objects deeper than `limit`, found without recursion. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<{ readonly value: unknown; readonly depth: number }> = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= limit) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}

/**
 * Reads the metadata text: one JSON object (RFC 7591 section 2), within the mock's size limit, and nested no
 * deeper than it can write back out: metadata that could be stored but never serialised would leave a client
 * nobody can read.
 */
export function parseMetadataObject(json: string, maxBytes: number): ObjectCheck {
  if (Buffer.byteLength(json) > maxBytes) {
    return { ok: false, refusal: refusal('invalid_client_metadata', PROBLEM.metadataTooLarge, `The client metadata is larger than ${maxBytes} bytes.`) };
  }
  const parsed = parseJson(json);
  if (!parsed.ok || !isJsonObject(parsed.value)) {
    return { ok: false, refusal: refusal('invalid_client_metadata', PROBLEM.metadataNotObject, 'The client metadata is not a JSON object.') };
  }
  if (nestsDeeperThan(parsed.value, MAX_METADATA_DEPTH)) {
    return {
      ok: false,
      refusal: refusal('invalid_client_metadata', PROBLEM.metadataTooDeep, `The client metadata nests deeper than ${MAX_METADATA_DEPTH} levels.`),
    };
  }
  return { ok: true, fields: parsed.value };
}

export function withoutFields(fields: JsonObject, names: readonly string[]): JsonObject {
  const dropped = new Set(names);
  return Object.fromEntries(Object.entries(fields).filter(([name]) => !dropped.has(name)));
}

function wrongTypes(fields: JsonObject): string | undefined {
  const wrongString = STRING_FIELDS.find((name) => Object.hasOwn(fields, name) && typeof fields[name] !== 'string');
  if (wrongString !== undefined) return `${wrongString} must be a string.`;
  const wrongArray = STRING_ARRAY_FIELDS.find((name) => Object.hasOwn(fields, name) && !isStringArray(fields[name]));
  if (wrongArray !== undefined) return `${wrongArray} must be an array of strings.`;
  const wrongObject = OBJECT_FIELDS.find((name) => Object.hasOwn(fields, name) && !isJsonObject(fields[name]));
  if (wrongObject !== undefined) return `${wrongObject} must be a JSON object.`;
  return undefined;
}

function redirectProblem(fields: JsonObject): string | undefined {
  if (!Object.hasOwn(fields, 'redirect_uris')) return undefined;
  const uris = fields['redirect_uris'];
  if (!isStringArray(uris)) return 'redirect_uris must be an array of strings.';
  for (const [index, uri] of uris.entries()) {
    const problem = redirectUriProblem(uri);
    if (problem !== undefined) return `redirect_uris[${index}] ${problem}.`;
  }
  return undefined;
}

function needsRedirectUri(metadata: JsonObject): boolean {
  const grants = metadata['grant_types'];
  const uris = metadata['redirect_uris'];
  const hasUri = isStringArray(uris) && uris.length > 0;
  return !hasUri && isStringArray(grants) && grants.some((grant) => REDIRECTING_GRANTS.has(grant));
}

/**
 * Applies the metadata rules shared by registration and update, and fills RFC 7591's defaults. A null value
 * counts as an omitted field: RFC 7592 section 2.2 reads omitted and null alike, as "delete this value".
 */
export function checkMetadata(sent: JsonObject): MetadataCheck {
  const fields = Object.fromEntries(Object.entries(sent).filter(([, value]) => value !== null));
  const badRedirect = redirectProblem(fields);
  if (badRedirect !== undefined) return { ok: false, refusal: refusal('invalid_redirect_uri', PROBLEM.redirectUriInvalid, badRedirect) };
  const badType = wrongTypes(fields);
  if (badType !== undefined) return { ok: false, refusal: refusal('invalid_client_metadata', PROBLEM.metadataWrongType, badType) };
  const missing = Object.entries(DEFAULTS).filter(([name]) => !Object.hasOwn(fields, name));
  const metadata: JsonObject = Object.fromEntries([...Object.entries(fields), ...missing]);
  if (needsRedirectUri(metadata)) {
    return {
      ok: false,
      refusal: refusal('invalid_redirect_uri', PROBLEM.redirectUriMissing, 'At least one redirect URI is required for the authorization_code and implicit grant types.'),
    };
  }
  return { ok: true, metadata };
}
