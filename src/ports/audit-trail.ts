import type { AuditEvent } from '../domain/audit-event';

/** Where audit events go (a JSON-lines stream or file in production, memory in a test); writing never throws. */
export interface AuditTrail {
  record(event: AuditEvent): void;
}
