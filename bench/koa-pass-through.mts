// The bare pass-through again, on the stack the gateway is built with, to show in the same run what each layer
// costs. STACK=koa: Koa alone, the body read from the request stream as the bare pass-through reads it;
// STACK=full (the default): Koa + @koa/router + @koa/bodyparser. UPSTREAM_CLIENT=undici: undici's request behind;
// openapi: the gateway's openapi-fetch client and transport (needs `npm run build`).
// Run as its own process: PORT=<port> UPSTREAM=<url> STACK=koa|full UPSTREAM_CLIENT=undici|openapi node bench/koa-pass-through.mts
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import { Agent, Pool } from 'undici';

const upstream = process.env['UPSTREAM'] ?? 'http://127.0.0.1:4010';
const headers = { 'content-type': 'application/json', authorization: 'Bearer bench-service-token' };

type Forward = (clientId: string, token: string, json: string) => Promise<unknown>;

function undiciForward(): Forward {
  const pool = new Pool(upstream, { connections: 128 });
  return async (clientId, token, json) => {
    const answer = await pool.request({ path: '/api/bench/client/registration/update', method: 'POST', headers, body: JSON.stringify({ clientId, token, json }) });
    return answer.body.json();
  };
}

function openapiForward(): Forward {
  const require = createRequire(import.meta.url);
  const built: unknown = require(resolve(import.meta.dirname, '..', 'dist', 'src', 'adapters', 'authlete', 'authlete-api-client.js'));
  if (typeof built !== 'object' || built === null || !('createAuthleteApiClient' in built) || typeof built.createAuthleteApiClient !== 'function') {
    throw new Error('build first: no createAuthleteApiClient in dist');
  }
  const settings = { baseUrl: upstream, serviceId: 'bench', serviceAccessToken: { reveal: () => 'bench-service-token' }, timeoutMs: 10_000, maxConnections: 128 };
  const client: unknown = built.createAuthleteApiClient(settings, new Agent({ connections: 128 }));
  if (typeof client !== 'object' || client === null || !('POST' in client) || typeof client.POST !== 'function') throw new Error('no client');
  const post = client.POST.bind(client);
  return async (clientId, token, json) => {
    const result: unknown = await post('/api/{serviceId}/client/registration/update', { params: { path: { serviceId: 'bench' } }, body: { clientId, token, json } });
    return typeof result === 'object' && result !== null && 'data' in result ? result.data : undefined;
  };
}

const forward = process.env['UPSTREAM_CLIENT'] === 'openapi' ? openapiForward() : undiciForward();

async function relay(ctx: Koa.Context, clientId: string, json: string): Promise<void> {
  const token = (ctx.get('authorization') ?? '').slice('Bearer '.length);
  const decision = await forward(clientId, token, json);
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
  ctx.set('Content-Type', 'application/json');
  ctx.body = typeof decision === 'object' && decision !== null && 'responseContent' in decision ? String(decision.responseContent) : '';
}

const app = new Koa();
if (process.env['STACK'] === 'koa') {
  app.use(async (ctx) => {
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    await relay(ctx, ctx.path.slice('/register/'.length), Buffer.concat(chunks).toString('utf8'));
  });
} else {
  const router = new Router();
  router.put('/register/:clientId', bodyParser({ enableTypes: ['json'] }), (ctx) => relay(ctx, ctx.params['clientId'] ?? '', ctx.request.rawBody));
  app.use(router.routes());
}
const server = app.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address !== null ? address.port : 0}\n`);
});
process.on('SIGTERM', () => process.exit(0));
