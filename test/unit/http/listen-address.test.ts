import { TOKENS } from '../../../src/composition/tokens';
import type { GatewayConfig } from '../../../src/config/gateway-config';
import { startGatewayUnderTest } from '../../support/gateway-under-test';
import { testConfig } from '../../support/test-config';

function withoutHost(config: GatewayConfig): GatewayConfig {
  return { ...config, http: { ...config.http, host: undefined } };
}

describe('where the gateway listens when HOST is not set', () => {
  it('is loopback only when the embedded mock is the authority', async () => {
    const gateway = await startGatewayUnderTest(withoutHost(testConfig({ embeddedMock: true })));
    try {
      expect(gateway.container.get(TOKENS.GatewayServer).address()?.address).toBe('127.0.0.1');
    } finally {
      await gateway.stop();
    }
  });

  it('is every interface with a real Authlete account', async () => {
    const gateway = await startGatewayUnderTest(withoutHost(testConfig()));
    try {
      expect(gateway.container.get(TOKENS.GatewayServer).address()?.address).toMatch(/^(::|0\.0\.0\.0)$/);
    } finally {
      await gateway.stop();
    }
  });

  it('is what HOST says, whichever the authority', async () => {
    const config = testConfig({ embeddedMock: true });
    const gateway = await startGatewayUnderTest({ ...config, http: { ...config.http, host: '127.0.0.2' } });
    try {
      expect(gateway.container.get(TOKENS.GatewayServer).address()?.address).toBe('127.0.0.2');
    } finally {
      await gateway.stop();
    }
  });
});
