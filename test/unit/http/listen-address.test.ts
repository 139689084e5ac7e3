import { startGatewayUnderTest } from '../../support/gateway-under-test';
import { listeningAddresses } from '../../support/listening-addresses';
import { EMBEDDED_MOCK, testConfig, type TestSettings } from '../../support/test-config';


/** The addresses the kernel has the gateway listening on, for a gateway started with these settings. */
async function listeningWith(settings: TestSettings): Promise<string[]> {
  const gateway = await startGatewayUnderTest(testConfig(settings));
  try {
    return listeningAddresses(Number(new URL(gateway.url).port));
  } finally {
    await gateway.stop();
  }
}

describe('where the gateway listens when HOST is not set', () => {
  it('is loopback only when the embedded mock is the authority', async () => {
    expect(await listeningWith({ ...EMBEDDED_MOCK, HOST: '' })).toEqual(['127.0.0.1']);
  });

  it('is every interface with a real Authlete account', async () => {
    expect(await listeningWith({ HOST: '' })).toEqual([expect.stringMatching(/^(::|0\.0\.0\.0)$/)]);
  });

  it('is what HOST says, whichever the authority', async () => {
    expect(await listeningWith({ ...EMBEDDED_MOCK, HOST: '127.0.0.2' })).toEqual(['127.0.0.2']);
  });
});
