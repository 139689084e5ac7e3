import { z } from 'zod';
import type { MockAnswer } from './answer';
import { parseJson } from './json-value';
import type { MockState } from './mock-state';
import { CALL_FAILURE, callFailure } from './result-codes';

// RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), separated by single spaces.
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/;

const mintBody = z.strictObject({
  scope: z.string().regex(SCOPE).optional(),
  expires_in: z.number().int().min(1).max(86_400).optional(),
});

// The client the minted tokens are said to belong to, as a client credentials grant would record it.
const MINTING_CLIENT_ID = 1_746_271_503;
const DEFAULT_LIFETIME_SECONDS = 3_600;

/**
 * The mock's stand-in for an operator's token endpoint: `{"scope":"client.register"}` gets an access token
 * with that scope, which the introspection API then knows. Authlete has no such API; the real way is a client
 * credentials grant at the operator's own token endpoint.
 */
export function mintToken(state: MockState, text: string): MockAnswer {
  const parsed = parseJson(text === '' ? '{}' : text);
  const body = parsed.ok ? mintBody.safeParse(parsed.value) : undefined;
  if (body === undefined || !body.success) {
    return callFailure(CALL_FAILURE.contract, 'send {"scope":"<scopes separated by spaces>","expires_in":<seconds, at most 86400>}, both optional');
  }
  const scope = body.data.scope ?? '';
  const expiresIn = body.data.expires_in ?? DEFAULT_LIFETIME_SECONDS;
  const scopes = scope === '' ? [] : scope.split(' ');
  const token = state.tokens.mint(scopes, (state.now() + expiresIn) * 1000, MINTING_CLIENT_ID);
  return { kind: 'minted', token: { access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope } };
}
