import type { LimitName } from './limits';
import type { Operation } from './operation';

/** The decisions and refusals the audit trail records, one event each. */
export type AuditEventName =
  | 'registered'
  | 'read'
  | 'updated'
  | 'deleted'
  | 'refused_by_token_policy'
  | 'rate_limited'
  | 'authentication_failed';

/**
 * One entry of the audit trail. It names who and what, never a credential or the metadata itself: tokens,
 * secrets and bodies stay out by construction, as there is no field for them.
 */
export interface AuditEvent {
  readonly event: AuditEventName;
  readonly requestId: string;
  readonly operation: Operation;
  readonly clientIp: string;
  readonly status: number;
  /** How the request ended (the outcome's kind, or the refusal's error code). */
  readonly outcome: string;
  readonly clientId?: string;
  readonly softwareId?: string;
  /** Which limit refused a rate-limited request. */
  readonly limit?: LimitName;
}
