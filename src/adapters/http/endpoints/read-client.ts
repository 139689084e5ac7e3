import { defineEndpoint, type Endpoint, type EndpointDependencies } from '../endpoint';
import { Pipeline } from '../pipeline';
import { auditTrail } from '../steps/audit-trail';
import { countAuthFailures, refuseAfterAuthFailures } from '../steps/auth-failure-limit';
import { authorityAdmission } from '../steps/authority-admission';
import { registrationAccessToken } from '../steps/bearer-token';
import { clientIdFromPath } from '../steps/client-id-from-path';

/** RFC 7592 section 2.1: GET <registration path>/{client_id} reads the client's current information. */
export function readClientEndpoint({ registration, admission, controls }: EndpointDependencies): Endpoint {
  return defineEndpoint({
    operation: 'read',
    method: 'GET',
    path: 'client',
    steps: Pipeline.start()
      .then(refuseAfterAuthFailures(controls))
      .then(clientIdFromPath)
      .then(registrationAccessToken)
      .then(authorityAdmission(admission))
      .onAnswer(countAuthFailures(controls))
      .onAnswer(auditTrail(controls)),
    ask: (found, abandoned) => registration.read({ operation: 'read', ...found, abandoned }),
  });
}
