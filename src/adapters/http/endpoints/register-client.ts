import { defineEndpoint, type Endpoint, type EndpointDependencies } from '../endpoint';
import { Pipeline } from '../pipeline';
import { auditTrail } from '../steps/audit-trail';
import { countTokenFailures, refuseAfterTokenFailures } from '../steps/auth-failure-limit';
import { authorityAdmission, authorityAvailable, holdingAPlace } from '../steps/authority-admission';
import { initialAccessToken } from '../steps/bearer-token';
import { clientMetadataBody } from '../steps/client-metadata-body';
import { clientMetadataHeaders } from '../steps/client-metadata-headers';
import { continueIfExpected } from '../steps/continue-if-expected';
import { initialAccessTokenPolicy } from '../steps/initial-access-token-policy';
import { refuseAfterRegistrationLimit, registrationRateLimit } from '../steps/registration-rate-limit';

/** RFC 7591 section 3: POST <registration path> registers a client from its metadata. */
export function registerClientEndpoint({ registration, admission, bodyLimitBytes, bodyTimeoutMs, controls }: EndpointDependencies): Endpoint {
  return defineEndpoint({
    operation: 'register',
    method: 'POST',
    path: 'registration',
    steps: Pipeline.start()
      .then(refuseAfterTokenFailures(controls))
      .then(refuseAfterRegistrationLimit(controls))
      .then(initialAccessToken)
      .then(authorityAvailable(admission))
      .then(holdingAPlace(admission, initialAccessTokenPolicy(controls)))
      .then(clientMetadataHeaders(bodyLimitBytes))
      .then(continueIfExpected)
      .then(clientMetadataBody(bodyLimitBytes, bodyTimeoutMs))
      .then(authorityAdmission(admission))
      .then(registrationRateLimit(controls))
      .onAnswer(countTokenFailures(controls))
      .onAnswer(auditTrail(controls)),
    ask: (found, abandoned) => registration.register({ operation: 'register', ...found, abandoned }),
  });
}
