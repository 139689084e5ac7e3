import { defineEndpoint, type Endpoint, type EndpointDependencies } from '../endpoint';
import { Pipeline } from '../pipeline';
import { initialAccessToken } from '../steps/bearer-token';
import { clientMetadataBody } from '../steps/client-metadata-body';

/** RFC 7591 section 3: POST <registration path> registers a client from its metadata. */
export function registerClientEndpoint({ registration, bodyLimitBytes }: EndpointDependencies): Endpoint {
  return defineEndpoint({
    operation: 'register',
    method: 'POST',
    path: 'registration',
    steps: Pipeline.start()
      .then(initialAccessToken)
      .then(clientMetadataBody(bodyLimitBytes)),
    ask: (found) => registration.register({ operation: 'register', ...found }),
  });
}
