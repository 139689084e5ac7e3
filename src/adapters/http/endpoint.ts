import type { ClientRegistration } from '../../domain/client-registration';
import type { Controls } from './controls';
import type { Operation } from '../../domain/operation';
import type { RegistrationOutcome } from '../../domain/outcome';
import type { AuthorityAdmission } from '../../ports/authority-admission';
import { sendRefusal, sendReply } from './http-reply';
import { clientGone, noteClientClosed } from './client-closed';
import { outcomeReply } from './outcome-reply';
import type { Pipeline, RequestContext } from './pipeline';

/** What the endpoint definitions are built from. */
export interface EndpointDependencies {
  readonly registration: ClientRegistration;
  readonly admission: AuthorityAdmission;
  readonly bodyLimitBytes: number;
  /** How long a body may take to arrive, from when its headers have been checked. */
  readonly bodyTimeoutMs: number;
  /** The controls of an endpoint facing the internet; each one switched off is absent. */
  readonly controls: Controls;
}

/** The registration endpoint itself (RFC 7591), or the client configuration endpoint beneath it (RFC 7592). */
export type EndpointPath = 'registration' | 'client';

export interface Endpoint {
  readonly operation: Operation;
  readonly method: 'POST' | 'GET' | 'PUT' | 'DELETE';
  readonly path: EndpointPath;
  readonly handle: (ctx: RequestContext) => Promise<void>;
}

interface EndpointDefinition<Found extends object> {
  readonly operation: Operation;
  readonly method: Endpoint['method'];
  readonly path: EndpointPath;
  /** The checks and readings, in order; the first to refuse answers the request. */
  readonly steps: Pipeline<Found>;
  /** What the authority is asked once every step has passed; `abandoned` says whether the client has gone since. */
  readonly ask: (found: Found, abandoned: () => boolean) => Promise<RegistrationOutcome>;
}

/** An endpoint: its operation named once, its steps run in order, then the authority's outcome answered. */
export function defineEndpoint<Found extends object>({ operation, method, path, steps, ask }: EndpointDefinition<Found>): Endpoint {
  return {
    operation,
    method,
    path,
    async handle(ctx) {
      ctx.state.operation = operation;
      const checked = await steps.run(ctx);
      if (!checked.ok) {
        sendRefusal(ctx, checked.reply);
        if (steps.hasAnswerSteps) steps.answered(ctx, { outcome: undefined, metadataJson: undefined });
        return;
      }
      const outcome = await ask(checked.adds, () => clientGone(ctx));
      ctx.state.outcome = outcome.kind;
      if (outcome.kind === 'authority_unavailable') ctx.state.failure = outcome.failure;
      if (outcome.kind === 'internal_server_error') ctx.state.authleteServerError = true;
      sendReply(ctx, outcomeReply(outcome));
      noteClientClosed(ctx, outcome);
      if (steps.hasAnswerSteps) {
        steps.answered(ctx, { outcome, metadataJson: 'metadataJson' in checked.adds ? String(checked.adds.metadataJson) : undefined });
      }
    },
  };
}
