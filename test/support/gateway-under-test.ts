import type { Container } from 'inversify';
import { createLogger } from '../../src/adapters/logging/create-logger';
import { createContainer } from '../../src/composition/container';
import { TOKENS } from '../../src/composition/tokens';
import type { GatewayConfig } from '../../src/config/gateway-config';
import { startGateway, type RunningGateway } from '../../src/gateway';
import type { RegistrationAuthority } from '../../src/ports/registration-authority';
import { MemoryLog } from './memory-log';

export interface GatewayUnderTest extends RunningGateway {
  readonly container: Container;
  readonly log: MemoryLog;
}

/**
 * The composed gateway listening on 127.0.0.1, logging at trace level into memory. Passing an authority swaps
 * the Authlete adapter for it: one rebind, as any test double would be.
 */
export async function startGatewayUnderTest(config: GatewayConfig, authority?: RegistrationAuthority): Promise<GatewayUnderTest> {
  const container = createContainer(config);
  const log = new MemoryLog();
  container.rebind(TOKENS.Logger).toConstantValue(createLogger('trace', log));
  if (authority !== undefined) container.rebind(TOKENS.RegistrationAuthority).toConstantValue(authority);
  const gateway = await startGateway(container);
  return { ...gateway, container, log };
}
