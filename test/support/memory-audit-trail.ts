import type { AuditEvent } from '../../src/domain/audit-event';
import type { AuditTrail } from '../../src/ports/audit-trail';

/** An audit trail that keeps every event, for tests that read what was recorded. */
export class MemoryAuditTrail implements AuditTrail {
  readonly events: AuditEvent[] = [];

  record(event: AuditEvent): void {
    this.events.push(event);
  }
}
