import type { AuditEventName } from '../../../domain/audit-event';
import type { RegistrationOutcome } from '../../../domain/outcome';
import type { AnswerStep, RequestContext } from '../pipeline';
import type { Controls } from '../controls';

const MAX_SOFTWARE_ID = 200;
// Printable ASCII only: the value comes from a client and goes into an operator's log verbatim.
const PLAIN = /^[\x20-\x7E]+$/;

/** Which audit event a request's end is, if any: decisions that change or reveal a client, and policy refusals. */
function eventOf(ctx: RequestContext, outcome: RegistrationOutcome | undefined): AuditEventName | undefined {
  const { refusedBy } = ctx.state;
  if (refusedBy === 'token_policy') return 'refused_by_token_policy';
  if (refusedBy !== undefined) return 'rate_limited';
  if (ctx.status === 401) return 'authentication_failed';
  switch (outcome?.kind) {
    case 'created':
      return 'registered';
    case 'ok':
      return 'read';
    case 'updated':
      return 'updated';
    case 'deleted':
      return 'deleted';
    default:
      return undefined;
  }
}

function fieldsOf(json: string | undefined): Record<string, unknown> | undefined {
  if (json === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function plain(value: unknown): string | undefined {
  if (typeof value !== 'string' || !PLAIN.test(value)) return undefined;
  return value.length > MAX_SOFTWARE_ID ? `${value.slice(0, MAX_SOFTWARE_ID)}…` : value;
}

/**
 * AUDIT_LOG: one event per registration, read, update and deletion, and per refusal by the token policy, a limit,
 * or a failed authentication. Client ID and software_id come from the client information Authlete answered with,
 * else from the path and the metadata sent; nothing else of either body is kept.
 */
export function auditTrail({ audit }: Controls): AnswerStep | undefined {
  if (audit === undefined) return undefined;
  return function auditTrail(ctx, { outcome, metadataJson }) {
    const event = eventOf(ctx, outcome);
    if (event === undefined) return;
    const answered = outcome !== undefined && 'content' in outcome && ctx.status < 300 ? fieldsOf(outcome.content) : undefined;
    const clientId = plain(answered?.['client_id']) ?? ctx.state.clientId;
    const softwareId = plain(answered?.['software_id'] ?? fieldsOf(metadataJson)?.['software_id']);
    const { refusedBy } = ctx.state;
    audit.record({
      event,
      requestId: ctx.state.requestId,
      operation: ctx.state.operation ?? 'register',
      clientIp: ctx.state.clientIp,
      status: ctx.status,
      outcome: ctx.state.refusal ?? ctx.state.outcome ?? 'refused',
      ...(clientId !== undefined && { clientId }),
      ...(softwareId !== undefined && { softwareId }),
      ...(refusedBy !== undefined && refusedBy !== 'token_policy' && { limit: refusedBy }),
    });
  };
}
