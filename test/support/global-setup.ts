import { z } from 'zod';
import { startPrism, type RunningPrism } from './prism-launcher';

declare global {
  var __PRISM__: RunningPrism | undefined;
}

/**
 * The Prism mock the integration and end-to-end tests call: the one PRISM_URL names (e.g. `docker compose up
 * authlete-mock`, or `npm run mock`), checked to answer, or else one started for this run.
 */
export default async function globalSetup(): Promise<void> {
  const given = process.env['PRISM_URL'];
  if (given !== undefined && given !== '') {
    await checkAnswersAsAuthlete(given);
    process.stdout.write(`\n[authlete mock] using the Prism mock given by PRISM_URL at ${given}\n`);
    return;
  }
  const prism = await startPrism();
  globalThis.__PRISM__ = prism;
  // Test workers start after global setup and inherit this.
  process.env['PRISM_URL'] = prism.url;
  process.stdout.write(`\n[authlete mock] Prism started ${prism.how} at ${prism.url}\n`);
}

const decision = z.object({ action: z.literal('OK') });

/** One well-formed call that a mock of openapi/authlete.yaml answers with a decision. */
async function checkAnswersAsAuthlete(url: string): Promise<void> {
  const problem = (reason: string) =>
    new Error(`PRISM_URL=${url} does not answer as a mock of openapi/authlete.yaml (${reason}); start one (npm run mock) or unset PRISM_URL to let the tests start their own`);
  let response: Response;
  try {
    response = await fetch(new URL('/api/setup-check/client/registration/get', url), {
      method: 'POST',
      headers: { Authorization: 'Bearer setup-check', 'Content-Type': 'application/json', Prefer: 'example=ok' },
      body: JSON.stringify({ clientId: '5899463614448063', token: 'setup-check' }),
      // Prism hangs on some malformed requests; this one is well-formed, and the bound keeps a stall a failure.
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw problem(error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error));
  }
  const body = await response.text();
  if (response.status !== 200 || !decision.safeParse(parsedOrUndefined(body)).success) throw problem(`HTTP ${response.status}: ${body.slice(0, 200)}`);
}

function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
