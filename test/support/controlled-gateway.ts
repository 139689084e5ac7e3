import { createLogger } from '../../src/adapters/logging/create-logger';
import { TOKENS } from '../../src/composition/tokens';
import { startGateway, type RunningGateway } from '../../src/gateway';
import { FakeAuthority } from './fake-authority';
import { FakeTokenChecker } from './fake-token-checker';
import { MemoryAuditTrail } from './memory-audit-trail';
import { MemoryLog } from './memory-log';
import { testConfig, type TestSettings } from './test-config';

export interface ControlledGateway extends RunningGateway {
  readonly authority: FakeAuthority;
  readonly checker: FakeTokenChecker;
  readonly audit: MemoryAuditTrail;
  readonly log: MemoryLog;
}

/**
 * The composed gateway on 127.0.0.1 with the given controls, its Authlete ports (registration and introspection)
 * swapped for fakes and its audit trail kept in memory (when `audit` is on).
 */
export async function startControlledGateway(settings: TestSettings): Promise<ControlledGateway> {
  const authority = new FakeAuthority();
  const checker = new FakeTokenChecker();
  const audit = new MemoryAuditTrail();
  const log = new MemoryLog();
  const config = testConfig(settings);
  const gateway = await startGateway(config, (container) => {
    container.rebind(TOKENS.Logger).toConstantValue(createLogger('trace', log));
    container.rebind(TOKENS.RegistrationAuthority).toConstantValue(authority);
    container.rebind(TOKENS.InitialAccessTokenChecker).toConstantValue(checker);
    if (config.exposure.audit.kind !== 'off') container.rebind(TOKENS.AuditTrail).toConstantValue({ trail: audit, close: () => {} });
  });
  return { ...gateway, authority, checker, audit, log };
}

/** Runs `test` against a controlled gateway of its own, stopped afterwards whatever the outcome. */
export async function withControlledGateway(settings: TestSettings, test: (gateway: ControlledGateway) => Promise<void>): Promise<void> {
  const gateway = await startControlledGateway(settings);
  try {
    await test(gateway);
  } finally {
    await gateway.stop();
  }
}
