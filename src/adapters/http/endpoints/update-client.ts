import { defineEndpoint, type Endpoint, type EndpointDependencies } from '../endpoint';
import { Pipeline } from '../pipeline';
import { auditTrail } from '../steps/audit-trail';
import { countAuthFailures, refuseAfterAuthFailures } from '../steps/auth-failure-limit';
import { registrationAccessToken } from '../steps/bearer-token';
import { clientIdFromPath } from '../steps/client-id-from-path';
import { clientMetadataBody } from '../steps/client-metadata-body';

/** RFC 7592 section 2.2: PUT <registration path>/{client_id} replaces the client's metadata. */
export function updateClientEndpoint({ registration, bodyLimitBytes, controls }: EndpointDependencies): Endpoint {
  return defineEndpoint({
    operation: 'update',
    method: 'PUT',
    path: 'client',
    steps: Pipeline.start()
      .then(refuseAfterAuthFailures(controls))
      .then(clientIdFromPath)
      .then(registrationAccessToken)
      .then(clientMetadataBody(bodyLimitBytes))
      .onAnswer(countAuthFailures(controls))
      .onAnswer(auditTrail(controls)),
    ask: (found) => registration.update({ operation: 'update', ...found }),
  });
}
