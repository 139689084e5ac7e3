import type { Answer } from '../../domain/authority-answer';
import { classifyFailure, neverSent } from './classify-failure';

/**
 * A call is tried a second time only when it provably never reached Authlete (the connection was refused).
 * Anything that may have reached it is not repeated: a repeated registration creates a second client, and a
 * repeated update or delete after a lost answer would report the first one's effect as a failure.
 */
const MAX_ATTEMPTS = 2;

/** Runs one Authlete call within its deadline; a throw becomes a failure answer naming its cause. */
export async function callAuthlete<A extends string>(
  attempt: () => Promise<Answer<A>>,
  timeoutMs: number,
  deadline: AbortSignal | undefined,
): Promise<Answer<A>> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (tried < MAX_ATTEMPTS && neverSent(error) && deadline?.aborted !== true) continue;
      return { kind: 'failure', failure: classifyFailure(error, timeoutMs) };
    }
  }
}
