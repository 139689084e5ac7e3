import { startGatewayUnderTest, type GatewayUnderTest } from '../../support/gateway-under-test';
import { listeningAddresses } from '../../support/listening-addresses';
import { EMBEDDED_MOCK, testConfig } from '../../support/test-config';


const listening = (gateway: GatewayUnderTest): string[] => listeningAddresses(Number(new URL(gateway.url).port));

describe('where the gateway listens when HOST is not set', () => {
  it('is loopback only when the embedded mock is the authority', async () => {
    const gateway = await startGatewayUnderTest(testConfig({ ...EMBEDDED_MOCK, HOST: '' }));
    try {
      expect(listening(gateway)).toEqual(['127.0.0.1']);
    } finally {
      await gateway.stop();
    }
  });

  it('is every interface with a real Authlete account', async () => {
    const gateway = await startGatewayUnderTest(testConfig({ HOST: '' }));
    try {
      expect(listening(gateway)).toEqual([expect.stringMatching(/^(::|0\.0\.0\.0)$/)]);
    } finally {
      await gateway.stop();
    }
  });

  it('is what HOST says, whichever the authority', async () => {
    const gateway = await startGatewayUnderTest(testConfig({ ...EMBEDDED_MOCK, HOST: '127.0.0.2' }));
    try {
      expect(listening(gateway)).toEqual(['127.0.0.2']);
    } finally {
      await gateway.stop();
    }
  });
});
