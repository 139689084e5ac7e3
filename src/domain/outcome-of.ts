import type { AuthorityAnswer } from './authority-answer';
import type { AuthorityFailure } from './authority-failure';
import type { DecisionTable } from './decision-rules';
import type { RegistrationOutcome } from './outcome';

type Unavailable = Extract<RegistrationOutcome, { kind: 'authority_unavailable' }>;

function unavailable(failure: AuthorityFailure): Unavailable {
  return { kind: 'authority_unavailable', failure };
}

/**
 * Turns the authority's answer into the operation's outcome. An action the operation cannot produce, or a
 * decision that lacks the body it must carry, is not relayed: it is the authority failing, not the client.
 */
export function outcomeOf<T extends RegistrationOutcome>(rules: DecisionTable<T>, answer: AuthorityAnswer): T | Unavailable {
  if (answer.kind === 'failure') return unavailable(answer.failure);
  const rule = rules[answer.action];
  if (rule === 'not_expected') return unavailable({ cause: 'unexpected_action', action: answer.action });
  if (!rule.needsContent) return rule.build();
  if (answer.responseContent === undefined) {
    return unavailable({ cause: 'malformed_answer', reason: `${answer.action} came without responseContent` });
  }
  return rule.build(answer.responseContent);
}
