import { defineEndpoint, type Endpoint, type EndpointDependencies } from '../endpoint';
import { Pipeline } from '../pipeline';
import { auditTrail } from '../steps/audit-trail';
import { countAuthFailures, refuseAfterAuthFailures } from '../steps/auth-failure-limit';
import { authorityAdmission } from '../steps/authority-admission';
import { registrationAccessToken } from '../steps/bearer-token';
import { clientIdFromPath } from '../steps/client-id-from-path';

/** RFC 7592 section 2.3: DELETE <registration path>/{client_id} deletes the client; 204 with no body. */
export function deleteClientEndpoint({ registration, admission, controls }: EndpointDependencies): Endpoint {
  return defineEndpoint({
    operation: 'delete',
    method: 'DELETE',
    path: 'client',
    steps: Pipeline.start()
      .then(refuseAfterAuthFailures(controls))
      .then(clientIdFromPath)
      .then(registrationAccessToken)
      .then(authorityAdmission(admission))
      .onAnswer(countAuthFailures(controls))
      .onAnswer(auditTrail(controls)),
    ask: (found, abandoned) => registration.delete({ operation: 'delete', ...found, abandoned }),
  });
}
