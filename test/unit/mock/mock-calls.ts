import { z } from 'zod';

/** Talks to a running stateful mock the way the gateway does: POST, JSON, a Bearer service token. */

export const SERVICE_ID = 'svc-1';
export const SERVICE_TOKEN = 'service-token-1';

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: unknown;
}

const decisionShape = z.object({
  resultCode: z.string(),
  resultMessage: z.string(),
  action: z.string(),
  responseContent: z.string().optional(),
  client: z.record(z.string(), z.unknown()).optional(),
});

export type DecisionBody = z.infer<typeof decisionShape>;

export async function post(base: string, path: string, body: string, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${SERVICE_TOKEN}`, ...headers },
    body,
    signal: AbortSignal.timeout(5_000),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export type Endpoint = 'registration' | 'registration/get' | 'registration/update' | 'registration/delete';

export function endpoint(which: Endpoint, serviceId = SERVICE_ID): string {
  return `/api/${serviceId}/client/${which}`;
}

/** Calls one endpoint with a well-formed body and reads the HTTP 200 decision. */
export async function callMock(base: string, which: Endpoint, body: Record<string, string>): Promise<DecisionBody> {
  const reply = await post(base, endpoint(which), JSON.stringify(body));
  if (reply.status !== 200) throw new Error(`expected a decision (200), got ${reply.status}: ${reply.text}`);
  return decisionShape.parse(reply.json);
}

/** The client information (or OAuth error) the decision carries for the client. */
export function content(decision: DecisionBody): Record<string, unknown> {
  if (decision.responseContent === undefined) throw new Error(`${decision.action} carries no responseContent`);
  return z.record(z.string(), z.unknown()).parse(JSON.parse(decision.responseContent));
}

export interface Registered {
  readonly clientId: string;
  readonly token: string;
  readonly secret: string | undefined;
  readonly info: Record<string, unknown>;
}

export async function registerWithMock(base: string, metadata: Record<string, unknown>): Promise<Registered> {
  const decision = await callMock(base, 'registration', { json: JSON.stringify(metadata) });
  if (decision.action !== 'CREATED') throw new Error(`registration refused: ${decision.resultMessage}`);
  const info = content(decision);
  const ids = z.object({ client_id: z.string(), registration_access_token: z.string(), client_secret: z.string().optional() }).parse(info);
  return { clientId: ids.client_id, token: ids.registration_access_token, secret: ids.client_secret, info };
}

export const WEB_CLIENT = { client_name: 'Web App', redirect_uris: ['https://client.example.org/cb'] } as const;
