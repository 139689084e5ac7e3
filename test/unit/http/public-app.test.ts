import type { Middleware } from 'koa';
import type { GatewayState } from '../../../src/adapters/http/gateway-state';
import type { Tracing } from '../../../src/adapters/observability/tracing/tracing';
import { createContainer } from '../../../src/composition/container';
import { TOKENS } from '../../../src/composition/tokens';
import { testAuthleteSettings, testConfig } from '../../support/test-config';

function publicMiddleware(tracing?: Tracing): readonly unknown[] {
  return createContainer(testConfig(), testAuthleteSettings(), tracing).get(TOKENS.HttpApp).middleware;
}

describe('the public app as composed', () => {
  it('has, with tracing off, exactly its frame, routes and method check; tracing on adds the server spans around them', () => {
    const serverSpans: Middleware<GatewayState> = (_ctx, next) => next();
    const tracing: Tracing = { serverSpans, traceCalls: (fetch) => fetch, logFields: () => ({}), shutdown: async () => {} };
    expect(publicMiddleware()).toHaveLength(3);
    const traced = publicMiddleware(tracing);
    expect(traced).toHaveLength(4);
    expect(traced[0]).toBe(serverSpans);
  });
});
