import type { Browser } from 'playwright-core';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.mts';
import { launchChromium } from '../support/headless-chromium';
import type { Listening } from '../support/loopback.mts';
import { servePage } from '../support/static-page-server';

const PAGE = '<!doctype html><html><head><title>a browser-based client</title></head><body></body></html>';

interface Lifecycle {
  readonly statuses: number[];
  readonly exposedRequestId: string | null;
  readonly clientName: string | undefined;
}

/** Runs in the page: the whole RFC 7591/7592 lifecycle of one client, through fetch, against the gateway. */
async function lifecycleInPage(registrationUrl: string): Promise<Lifecycle> {
  const statuses: number[] = [];
  const registered = await fetch(registrationUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ client_name: 'SPA', redirect_uris: ['https://spa.example/cb'], token_endpoint_auth_method: 'none' }),
  });
  statuses.push(registered.status);
  const exposedRequestId = registered.headers.get('X-Request-Id');
  const info = (await registered.json()) as { client_id: string; registration_access_token: string; registration_client_uri: string };
  const auth = { Authorization: `Bearer ${info.registration_access_token}` };
  const read = await fetch(info.registration_client_uri, { headers: auth });
  statuses.push(read.status);
  const updated = await fetch(info.registration_client_uri, {
    method: 'PUT',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ client_id: info.client_id, client_name: 'SPA renamed', redirect_uris: ['https://spa.example/cb'], token_endpoint_auth_method: 'none' }),
  });
  statuses.push(updated.status);
  const clientName = ((await updated.json()) as { client_name?: string }).client_name;
  const deleted = await fetch(info.registration_client_uri, { method: 'DELETE', headers: auth });
  statuses.push(deleted.status);
  const gone = await fetch(info.registration_client_uri, { headers: auth });
  statuses.push(gone.status);
  return { statuses, exposedRequestId, clientName };
}

/** Runs in the page: a registration the browser must not let the page see. */
async function registrationInPage(registrationUrl: string): Promise<string> {
  try {
    const response = await fetch(registrationUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"redirect_uris":["https://x.example/cb"]}' });
    return `answered ${response.status}`;
  } catch (error) {
    return `blocked: ${error instanceof Error ? error.name : String(error)}`;
  }
}

/** Registration requests the gateway has answered, whatever their outcome, from its own metrics. */
async function registrationsAnswered(gateway: GatewayProcess): Promise<number> {
  const page = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
  return page
    .split('\n')
    .filter((line) => line.startsWith('dcr_requests_duration_seconds_count{') && line.includes('operation="register"'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('a browser-based client on another origin (CORS_ALLOWED_ORIGINS), in headless Chromium', () => {
  let browser: Browser;
  let allowedPage: Listening;
  let otherPage: Listening;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    browser = await launchChromium();
    allowedPage = await servePage(PAGE);
    otherPage = await servePage(PAGE);
    gateway = await startGatewayProcess({ CORS_ALLOWED_ORIGINS: allowedPage.url, HOST: '127.0.0.1' });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await allowedPage?.close();
    await otherPage?.close();
  });

  it('registers, reads, updates and deletes its client through fetch, and can read the exposed headers', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${allowedPage.url}/`);
      const result = await page.evaluate(lifecycleInPage, `${gateway.url}/register`);

      expect(result).toEqual({ statuses: [201, 200, 200, 204, 401], exposedRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/), clientName: 'SPA renamed' });
    } finally {
      await page.close();
    }
  });

  it('is blocked by the browser from a page of an origin not in the list, and no client is registered', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${otherPage.url}/`);
      const before = await registrationsAnswered(gateway);

      const result = await page.evaluate(registrationInPage, `${gateway.url}/register`);

      expect(result).toBe('blocked: TypeError');
      // The preflight was answered without CORS headers, so the browser never sent the registration itself.
      expect(await registrationsAnswered(gateway)).toBe(before);
      expect(before).toBeGreaterThan(0);
    } finally {
      await page.close();
    }
  });
});
