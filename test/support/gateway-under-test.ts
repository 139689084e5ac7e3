import { createLogger } from '../../src/adapters/logging/create-logger';
import { TOKENS } from '../../src/composition/tokens';
import type { GatewayConfig } from '../../src/config/gateway-config';
import { startGateway, type RunningGateway } from '../../src/gateway';
import type { RegistrationAuthority } from '../../src/ports/registration-authority';
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
