import { request } from 'node:http';

export interface SentRequest {
  readonly method: string;
  /** Header pairs, in order; a name may repeat. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: string | Buffer;
}

export interface ReceivedResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * Plain node:http, so a test can send what fetch would tidy away: repeated headers, odd paths, any body.
 */
export function send(url: string, sent: SentRequest): Promise<ReceivedResponse> {
  return new Promise((resolve, reject) => {
    // A name given twice is sent as two header lines (node:http does that for an array value).
    const headers: Record<string, string[]> = {};
    for (const [name, value] of sent.headers ?? []) (headers[name.toLowerCase()] ??= []).push(value);
    if (sent.body !== undefined) headers['content-length'] = [String(Buffer.byteLength(sent.body))];
    // The path goes out exactly as written: a URL object would resolve '..' and '%2E%2E' before sending.
    const { hostname, port, origin } = new URL(url);
    const path = url.slice(origin.length) || '/';
    const req = request({ host: hostname, port, path, method: sent.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(sent.body);
  });
}

export function jsonBody(response: ReceivedResponse): unknown {
  return JSON.parse(response.body);
}
