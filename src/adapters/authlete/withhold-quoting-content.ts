import type { Answer } from '../../domain/authority-answer';
import type { Secret } from '../../domain/secret';

/**
 * The decision without its `responseContent` when that quotes any of `withheld`: introspection's challenge
 * becomes the client's WWW-Authenticate, and one that names the gateway's own credentials must not. The HTTP
 * adapter then sends its fixed challenge, as it does for a challenge it cannot use, without having to know
 * Authlete's credentials.
 */
export function withholdQuotingContent<A extends string>(answer: Answer<A>, withheld: readonly Secret[]): Answer<A> {
  if (answer.kind !== 'decision' || answer.responseContent === undefined) return answer;
  const content = answer.responseContent;
  const quotes = withheld.some((secret) => {
    const value = secret.reveal();
    return value.length > 0 && content.includes(value);
  });
  return quotes ? { kind: 'decision', action: answer.action } : answer;
}
