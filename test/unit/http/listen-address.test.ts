import { TOKENS } from '../../../src/composition/tokens';
import { startGatewayUnderTest } from '../../support/gateway-under-test';
import { EMBEDDED_MOCK, testConfig } from '../../support/test-config';


describe('where the gateway listens when HOST is not set', () => {
  it('is loopback only when the embedded mock is the authority', async () => {
    const gateway = await startGatewayUnderTest(testConfig({ ...EMBEDDED_MOCK, HOST: '' }));
    try {
      expect(gateway.container.get(TOKENS.GatewayServer).address()?.address).toBe('127.0.0.1');
    } finally {
      await gateway.stop();
    }
  });

  it('is every interface with a real Authlete account', async () => {
    const gateway = await startGatewayUnderTest(testConfig({ HOST: '' }));
    try {
      expect(gateway.container.get(TOKENS.GatewayServer).address()?.address).toMatch(/^(::|0\.0\.0\.0)$/);
    } finally {
      await gateway.stop();
    }
  });

  it('is what HOST says, whichever the authority', async () => {
    const gateway = await startGatewayUnderTest(testConfig({ ...EMBEDDED_MOCK, HOST: '127.0.0.2' }));
    try {
      expect(gateway.container.get(TOKENS.GatewayServer).address()?.address).toBe('127.0.0.2');
    } finally {
      await gateway.stop();
    }
  });
});
