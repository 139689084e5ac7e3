import type { Logger } from '../logging/create-logger';
import type { GatewayMetrics } from '../observability/gateway-metrics';
import type { AuditFileWatch } from './json-lines-audit-trail';

/**
 * An audit trail that cannot be written is said in the gateway's own log, once per episode and at once (the log
 * batches its lines), and each event it drops is counted, so an alert can fire on the loss itself.
 */
export function auditFailureLog(logger: Logger, metrics: GatewayMetrics): AuditFileWatch {
  return {
    failing(destination, code) {
      logger.error(
        { audit: destination, code },
        'the audit log cannot be written: events wait in memory up to 1 MiB, then are dropped and counted in dcr_audit_events_lost_total',
      );
      logger.flush();
    },
    recovered(destination) {
      logger.info({ audit: destination }, 'the audit log is written again');
    },
    reopenFailed(destination, code) {
      logger.warn({ audit: destination, code }, 'SIGHUP: the audit log could not be reopened at its path; events go on to the file opened before, and the next SIGHUP tries again');
    },
    lost: () => metrics.countLostAuditEvent(),
  };
}
