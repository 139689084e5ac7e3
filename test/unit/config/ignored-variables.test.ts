import { ignoredVariables } from '../../../src/config/ignored-variables';

describe('variables named like settings that are none', () => {
  it('are the ones with a prefix of the gateway\'s own that no setting has, sorted', () => {
    expect(
      ignoredVariables({
        LIMIT_REGISTRATION_PER_IP: '1/1m',
        AUTHLETE_SERVICE_TOKEN: 'x',
        MAX_CONNECTIONS_PER_ADDRESS: '10',
        LIMIT_REGISTRATIONS_PER_IP: '1/1m',
        RATE_LIMIT_REDIS_URL_FILE: '/run/secrets/redis',
        PORT: '8080',
        LOG_FORMAT: 'json',
        OTEL_SERVICE_NAME: 'dcr',
      }),
    ).toEqual(['AUTHLETE_SERVICE_TOKEN', 'LIMIT_REGISTRATION_PER_IP', 'MAX_CONNECTIONS_PER_ADDRESS']);
  });

  it('leave out what Kubernetes sets for a Service named like a prefix, _FILE forms of non-secrets aside, and empty ones', () => {
    expect(
      ignoredVariables({
        AUTHLETE_SERVICE_HOST: '10.0.0.7',
        AUTHLETE_SERVICE_PORT: '443',
        AUTHLETE_SERVICE_PORT_HTTPS: '443',
        AUTHLETE_PORT: 'tcp://10.0.0.7:443',
        AUTHLETE_PORT_443_TCP: 'tcp://10.0.0.7:443',
        AUTHLETE_PORT_443_TCP_ADDR: '10.0.0.7',
        AUTHLETE_TIMEOUT_MS_FILE: '/tmp/x',
        LIMIT_TYPO: '',
      }),
    ).toEqual(['AUTHLETE_TIMEOUT_MS_FILE']);
  });
});
