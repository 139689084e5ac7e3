import { createLogger } from '../../src/adapters/logging/create-logger';
import { TOKENS } from '../../src/composition/tokens';
import type { GatewayConfig } from '../../src/config/gateway-config';
import { startGateway, type RunningGateway } from '../../src/gateway';
import type { RegistrationAuthority } from '../../src/ports/registration-authority';
import { FakeAuthority } from './fake-authority';
import { MemoryLog } from './memory-log';

export interface GatewayUnderTest extends RunningGateway {
  readonly log: MemoryLog;
}

/**
 * The composed gateway listening on 127.0.0.1, logging at trace level into memory. Passing an authority swaps
 * the Authlete adapter for it: one rebind, as any test double would be.
 */
export async function startGatewayUnderTest(config: GatewayConfig, authority?: RegistrationAuthority): Promise<GatewayUnderTest> {
  const log = new MemoryLog();
  const gateway = await startGateway(config, (container) => {
    container.rebind(TOKENS.Logger).toConstantValue(createLogger('trace', log));
    if (authority !== undefined) container.rebind(TOKENS.RegistrationAuthority).toConstantValue(authority);
  });
  return { ...gateway, log };
}

export interface GatewayWithFake {
  readonly authority: FakeAuthority;
  /** The gateway started for the suite (available inside tests). */
  readonly gateway: () => GatewayUnderTest;
}

/**
 * For a describe block: one gateway for the whole suite with the Authlete port rebound to a fake, whose record of
 * received commands is emptied before each test.
 */
export function gatewayWithFakeAuthority(config: GatewayConfig): GatewayWithFake {
  const authority = new FakeAuthority();
  let started: GatewayUnderTest | undefined;
  beforeAll(async () => {
    started = await startGatewayUnderTest(config, authority);
  });
  afterAll(() => started?.stop());
  beforeEach(() => {
    authority.received.length = 0;
  });
  return {
    authority,
    gateway: () => {
      if (started === undefined) throw new Error('the gateway is started in beforeAll');
      return started;
    },
  };
}
