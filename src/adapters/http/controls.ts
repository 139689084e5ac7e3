import type { RegistrationAccess } from '../../domain/registration-access';
import type { AuditTrail } from '../../ports/audit-trail';
import type { Limits } from '../../ports/limit';
import type { GatewayMetrics } from '../observability/gateway-metrics';

/** What the controls of the endpoints need; a control switched off is absent and its step left out. */
export interface Controls {
  /** `REGISTRATION_ACCESS=token`: registrations need an initial access token; absent when registration is open. */
  readonly registrationAccess: RegistrationAccess | undefined;
  readonly limits: Limits;
  readonly audit: AuditTrail | undefined;
  readonly metrics: GatewayMetrics;
}
