import type { Middleware } from 'koa';
import { DrainState } from '../../../src/adapters/http/drain-state';
import type { GatewayState } from '../../../src/adapters/http/gateway-state';
import { createPublicApp, type KoaAppDependencies } from '../../../src/adapters/http/koa-app';
import { createLogger } from '../../../src/adapters/logging/create-logger';
import { GatewayMetrics } from '../../../src/adapters/observability/gateway-metrics';
import { ClientRegistration } from '../../../src/domain/client-registration';
import { FakeAuthority } from '../../support/fake-authority';
import { MemoryLog } from '../../support/memory-log';

function dependencies(serverSpans: Middleware<GatewayState> | undefined): KoaAppDependencies {
  return {
    registration: new ClientRegistration(new FakeAuthority()),
    admission: { reserve: () => ({ admitted: true, release: () => undefined }) },
    settings: { registrationPath: '/register', bodyLimitBytes: 1024 },
    logger: createLogger('silent', new MemoryLog()),
    metrics: new GatewayMetrics(),
    drain: new DrainState(),
    withOperations: false,
    serverSpans,
  };
}

describe('the public app with tracing off', () => {
  it('has exactly the middleware it has without tracing: the frame, the routes and the method check', () => {
    const spans: Middleware<GatewayState> = (_ctx, next) => next();
    expect(createPublicApp(dependencies(undefined)).middleware).toHaveLength(3);
    expect(createPublicApp(dependencies(spans)).middleware).toHaveLength(4);
    expect(createPublicApp(dependencies(spans)).middleware[0]).toBe(spans);
  });
});
