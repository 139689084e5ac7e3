import { defineEndpoint, type Endpoint, type EndpointDependencies } from '../endpoint';
import { Pipeline } from '../pipeline';
import { auditTrail } from '../steps/audit-trail';
import { countAuthFailures, refuseAfterAuthFailures } from '../steps/auth-failure-limit';
import { authorityAdmission, authorityAvailable } from '../steps/authority-admission';
import { registrationAccessToken } from '../steps/bearer-token';
import { clientIdFromPath } from '../steps/client-id-from-path';
import { clientMetadataBody } from '../steps/client-metadata-body';
import { clientMetadataHeaders } from '../steps/client-metadata-headers';
import { continueIfExpected } from '../steps/continue-if-expected';

/** RFC 7592 section 2.2: PUT <registration path>/{client_id} replaces the client's metadata. */
export function updateClientEndpoint({ registration, admission, bodyLimitBytes, bodyTimeoutMs, controls }: EndpointDependencies): Endpoint {
  return defineEndpoint({
    operation: 'update',
    method: 'PUT',
    path: 'client',
    steps: Pipeline.start()
      .then(refuseAfterAuthFailures(controls))
      .then(clientIdFromPath)
      .then(registrationAccessToken)
      .then(authorityAvailable(admission))
      .then(clientMetadataHeaders(bodyLimitBytes))
      .then(continueIfExpected)
      .then(clientMetadataBody(bodyLimitBytes, bodyTimeoutMs))
      .then(authorityAdmission(admission))
      .onAnswer(countAuthFailures(controls))
      .onAnswer(auditTrail(controls)),
    ask: (found, abandoned) => registration.update({ operation: 'update', ...found, abandoned }),
  });
}
