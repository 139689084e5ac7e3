import type { AuthorityFailure } from '../../domain/authority-failure';
import type { LimitName } from '../../domain/limits';
import type { Operation } from '../../domain/operation';
import type { OutcomeKind } from '../../domain/outcome';

/** What a request leaves behind for the access log and the metrics, in Koa's `ctx.state`. */
export interface GatewayState {
  requestId: string;
  /** The client's address as the limits, the audit trail and the access line see it, noted on arrival. */
  clientIp: string;
  operation?: Operation;
  /**
   * The outcome; 'refused' when the gateway answered without asking the authority; 'client_closed' when the
   * client hung up before its answer.
   */
  outcome?: OutcomeKind | 'refused' | 'client_closed';
  /** What a client that hung up would have got. */
  abandoned?: OutcomeKind;
  failure?: AuthorityFailure;
  /** The `error` code of a refusal. */
  refusal?: string;
  clientId?: string;
  /** Authlete answered INTERNAL_SERVER_ERROR, to the registration call or to the token's introspection. */
  authleteServerError?: true;
  /** The control that refused the request, when one did. */
  refusedBy?: 'token_policy' | LimitName;
  /** Still open when the shutdown grace period ran out, and cut off by the gateway. */
  cutOff?: true;
  /** A health or metrics request: logged at debug level, not counted. */
  probe?: boolean;
  /** The request's place among those received on its connection, 1 for the first. */
  arrival?: number;
}
