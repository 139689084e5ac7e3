export interface CheckArguments {
  /** The registration endpoint of the deployment under test. */
  readonly endpoint: URL;
  /** An initial access token, for a deployment that restricts registration. */
  readonly initialAccessToken: string | undefined;
  /** The most one request may take before it counts as failed. */
  readonly timeoutMs: number;
}

export type ArgumentsRead = { readonly ok: true; readonly args: CheckArguments } | { readonly ok: false; readonly problem: string };

export const USAGE = 'usage: npm run check -- <registration endpoint URL> [--token <initial access token>] [--timeout-ms <ms>]';

/** Reads the command line; a problem names the argument, never a token's value. */
export function readArguments(argv: readonly string[]): ArgumentsRead {
  let endpoint: string | undefined;
  let token: string | undefined;
  let timeoutMs = 10_000;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--token' || arg === '--timeout-ms') {
      const value = argv[++i];
      if (value === undefined || value === '') return { ok: false, problem: `${arg} needs a value` };
      if (arg === '--token') token = value;
      else if (/^\d{1,7}$/.test(value) && Number(value) > 0) timeoutMs = Number(value);
      else return { ok: false, problem: '--timeout-ms must be a whole number of milliseconds' };
    } else if (arg.startsWith('--')) {
      return { ok: false, problem: `unknown option ${arg.slice(0, 40)}` };
    } else if (endpoint === undefined) {
      endpoint = arg;
    } else {
      return { ok: false, problem: 'only one registration endpoint URL is checked at a time' };
    }
  }
  if (endpoint === undefined) return { ok: false, problem: 'the registration endpoint URL is missing' };
  const url = URL.parse(endpoint);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    return { ok: false, problem: 'the registration endpoint must be an http or https URL, such as https://as.example.com/register' };
  }
  if (url.search !== '' || url.hash !== '') return { ok: false, problem: 'the registration endpoint URL must not carry a query or fragment' };
  return { ok: true, args: { endpoint: url, initialAccessToken: token, timeoutMs } };
}
