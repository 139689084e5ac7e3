import { randomBytes } from 'node:crypto';
import type { AuthleteAccount, AuthleteSettings, GatewayConfig } from '../config/gateway-config';
import { Secret } from '../domain/secret';

/** The Authlete the gateway will call, and how to let go of it when the gateway stops. */
export interface OpenedAuthority {
  readonly settings: AuthleteSettings;
  /** Where the embedded mock listens, when it is the one answering. */
  readonly embeddedMockUrl: string | undefined;
  close(): Promise<void>;
}

const EMBEDDED_SERVICE_ID = 'embedded-mock';

/**
 * The configured Authlete account, or, when there is none (never in production: the configuration refuses
 * that), the stateful mock started on a loopback port in this process. The gateway reaches either one through
 * the same Authlete adapter, so the embedded path exercises the real calls.
 */
export async function openAuthority(config: GatewayConfig, ownManagementUrl: () => string): Promise<OpenedAuthority> {
  const { authority, authleteCalls } = config;
  if (authority.kind === 'authlete') {
    return { settings: { ...authority.account, ...authleteCalls }, embeddedMockUrl: undefined, close: async () => {} };
  }
  // Loaded only here: a gateway with a real Authlete account never runs the mock, so it need not load it.
  const { startStatefulMock } = await import('../../mock/stateful/stateful-mock.js');
  const { apiVersion } = authority.mock;
  // Fresh credentials for the mock to demand and the gateway to present, in the configured API version.
  const [apiKey, secret] = [randomBytes(24).toString('base64url'), randomBytes(24).toString('base64url')];
  const configured = authority.mock.managementBaseUrl;
  const mock = await startStatefulMock({
    host: '127.0.0.1',
    port: 0,
    managementBaseUrl: () => configured ?? ownManagementUrl(),
    unauthorizedOnClientConfigSupported: authority.mock.unauthorizedOnClientConfigSupported,
    ...(apiVersion === 'v2' ? { serviceApiKey: apiKey, serviceApiSecret: secret } : { serviceId: EMBEDDED_SERVICE_ID, serviceAccessToken: secret }),
  });
  const account: AuthleteAccount =
    apiVersion === 'v2'
      ? { apiVersion, baseUrl: mock.url, serviceApiKey: apiKey, serviceApiSecret: new Secret(secret) }
      : { apiVersion, baseUrl: mock.url, serviceId: EMBEDDED_SERVICE_ID, serviceAccessToken: new Secret(secret) };
  return { settings: { ...account, ...authleteCalls }, embeddedMockUrl: mock.url, close: () => mock.close() };
}
