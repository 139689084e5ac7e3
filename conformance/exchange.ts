/** One answer of the deployment under test, read whole. */
export interface Answer {
  /** What was asked, for the evidence: "PUT <client URI> (wrong token)". */
  readonly label: string;
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body as JSON, when it is JSON. */
  readonly json: unknown;
}

export interface Request {
  readonly label: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly token?: string | undefined;
  readonly body?: unknown;
}

/** Far beyond any registration answer; a deployment that sends more is not answering the check. */
const MAX_ANSWER_BYTES = 1024 * 1024;

async function boundedText(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new Error(`the answer is over ${MAX_ANSWER_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Sends requests to the deployment and keeps every answer, so that checks on all of them (no-store) see each one.
 * Redirects are not followed: a registration endpoint that redirects is a finding, and a redirect must not carry
 * a token elsewhere.
 */
export class Exchanges {
  readonly answers: Answer[] = [];

  constructor(
    private readonly timeoutMs: number,
    /** Aborts whatever is in flight when the check is interrupted. */
    private readonly signal: AbortSignal,
  ) {}

  async send(request: Request, signal: AbortSignal = this.signal): Promise<Answer> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (request.token !== undefined) headers['Authorization'] = `Bearer ${request.token}`;
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(request.url, {
      method: request.method,
      headers,
      ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
      redirect: 'manual',
      signal: AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]),
    });
    const text = await boundedText(response);
    const answer: Answer = { label: request.label, status: response.status, headers: response.headers, text, json: parsed(text) };
    this.answers.push(answer);
    return answer;
  }
}
