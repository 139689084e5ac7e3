import { defineEndpoint, type Endpoint, type EndpointDependencies } from '../endpoint';
import { Pipeline } from '../pipeline';
import { auditTrail } from '../steps/audit-trail';
import { countTokenFailures, refuseAfterTokenFailures } from '../steps/auth-failure-limit';
import { initialAccessToken } from '../steps/bearer-token';
import { clientMetadataBody } from '../steps/client-metadata-body';
import { initialAccessTokenPolicy } from '../steps/initial-access-token-policy';
import { registrationRateLimit } from '../steps/registration-rate-limit';

/** RFC 7591 section 3: POST <registration path> registers a client from its metadata. */
export function registerClientEndpoint({ registration, bodyLimitBytes, controls }: EndpointDependencies): Endpoint {
  return defineEndpoint({
    operation: 'register',
    method: 'POST',
    path: 'registration',
    steps: Pipeline.start()
      .then(refuseAfterTokenFailures(controls))
      .then(initialAccessToken)
      .then(initialAccessTokenPolicy(controls))
      .then(clientMetadataBody(bodyLimitBytes))
      .then(registrationRateLimit(controls))
      .onAnswer(countTokenFailures(controls))
      .onAnswer(auditTrail(controls)),
    ask: (found) => registration.register({ operation: 'register', ...found }),
  });
}
