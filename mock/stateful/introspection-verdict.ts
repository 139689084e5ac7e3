import type { TokenVerdict } from './answer';
import type { MockState } from './mock-state';
import { PROBLEM } from './refusal';
import { refusalCode, SUCCESS, withCode } from './result-codes';

export interface IntrospectionCall {
  readonly token: string;
  readonly scopes?: readonly string[] | undefined;
}

// RFC 6750 section 3: quoted-string values; the mock's own texts hold no quote or backslash.
function challenge(error: string, description: string, scope?: string): string {
  return `Bearer error="${error}",error_description="${description}"${scope === undefined ? '' : `,scope="${scope}"`}`;
}

/**
 * Authlete's introspection, for the tokens the mock minted: unknown or expired → UNAUTHORIZED, a required scope
 * not covered → FORBIDDEN, else OK. Registration access tokens are not access tokens, so they are unknown here.
 */
export function introspectionVerdict(state: MockState, call: IntrospectionCall): TokenVerdict {
  const issued = state.tokens.find(call.token);
  const nowMs = state.now() * 1000;
  if (issued === undefined || issued.expiresAt <= nowMs) {
    const code = refusalCode('introspect', PROBLEM.tokenRefused);
    const message = withCode(code, 'The access token does not exist or has expired.');
    return { resultCode: code, resultMessage: message, action: 'UNAUTHORIZED', responseContent: challenge('invalid_token', message) };
  }
  const required = call.scopes ?? [];
  const missing = required.filter((scope) => !issued.scopes.includes(scope));
  if (missing.length > 0) {
    const code = refusalCode('introspect', PROBLEM.scopeNotCovered);
    const message = withCode(code, `The access token does not cover the required scope ${missing.join(' ')}.`);
    return {
      resultCode: code,
      resultMessage: message,
      action: 'FORBIDDEN',
      responseContent: challenge('insufficient_scope', message, required.join(' ')),
      usable: true,
      sufficient: false,
    };
  }
  const { code, message } = SUCCESS.introspect;
  return {
    resultCode: code,
    resultMessage: withCode(code, message),
    action: 'OK',
    clientId: issued.clientId,
    subject: '',
    scopes: issued.scopes,
    expiresAt: issued.expiresAt,
    usable: true,
    sufficient: true,
  };
}
