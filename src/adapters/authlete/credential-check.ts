import { randomBytes } from 'node:crypto';
import type { AuthorityAnswer } from '../../domain/authority-answer';
import type { AuthorityFailure } from '../../domain/authority-failure';
import type { ReadCommand } from '../../domain/commands';
import { Secret } from '../../domain/secret';
import type { AuthleteSettings } from '../../config/gateway-config';
import type { RegistrationAuthority } from '../../ports/registration-authority';

/** Whether Authlete took the gateway's base URL, service ID and service access token, and if not, what to fix. */
export type CredentialCheck =
  | { readonly kind: 'accepted'; readonly action: string }
  | { readonly kind: 'failed'; readonly failure: AuthorityFailure; readonly fix: string };

/**
 * Why this call: a read (`client/registration/get`, in v3 and v2 alike) of a client ID no Authlete has issued,
 * with a random token.
 * It is the same API family and permission every request uses, so a token scoped to client registration
 * passes it (a service `get` would need another permission and return the service's whole configuration);
 * it is a read, so it creates and changes nothing, even if such a client existed, since the token is random;
 * and its answer is a few hundred bytes. Any decision (`BAD_REQUEST`, `UNAUTHORIZED`) proves that the URL, the
 * service ID and the token work; Authlete answering the call itself 401 or 403 proves they do not.
 */
function probe(): ReadCommand {
  const suffix = randomBytes(8).toString('hex');
  return { operation: 'read', clientId: `dcr-gateway-startup-check-${suffix}`, registrationAccessToken: new Secret(randomBytes(24).toString('base64url')) };
}

// What to set when Authlete refuses the gateway's own credentials, in the API version's terms.
function credentialsFix(settings: AuthleteSettings): string {
  return settings.apiVersion === 'v2'
    ? 'Authlete refused the gateway\'s own credentials: set AUTHLETE_SERVICE_API_KEY and AUTHLETE_SERVICE_API_SECRET to the API key and secret of the service, on the Authlete AUTHLETE_BASE_URL names'
    : 'Authlete refused the gateway\'s own credentials: set AUTHLETE_SERVICE_ACCESS_TOKEN to a service access token (or organization token) of the service AUTHLETE_SERVICE_ID, on the cluster AUTHLETE_BASE_URL names';
}

function fixFor(failure: AuthorityFailure, settings: AuthleteSettings): string {
  switch (failure.cause) {
    case 'http_error':
      if (failure.status === 401 || failure.status === 403) return credentialsFix(settings);
      if (failure.status === 404) {
        const which = settings.apiVersion === 'v2' ? 'and AUTHLETE_API_VERSION (v2 paths have no service ID)' : 'and AUTHLETE_SERVICE_ID';
        return `no such API there: check AUTHLETE_BASE_URL (the API root, e.g. https://us.authlete.com, without a path) ${which}`;
      }
      return `Authlete answered HTTP ${failure.status}, so the credentials could not be proven; the check is repeated at the next start`;
    case 'tls_failure':
      return 'TLS to AUTHLETE_BASE_URL failed: for a certificate from a private CA, set NODE_EXTRA_CA_CERTS to that CA\'s PEM file; check the host name in AUTHLETE_BASE_URL';
    case 'unreachable':
      if (failure.code.startsWith('PROXY_')) {
        return `the egress proxy refused the tunnel (HTTP ${failure.code.slice('PROXY_'.length)}): check HTTPS_PROXY (with credentials as http://user:password@host:port if it wants them) and that it allows CONNECT to Authlete's host`;
      }
      return 'could not connect: check AUTHLETE_BASE_URL, DNS, and HTTPS_PROXY / NO_PROXY where egress goes through a proxy';
    case 'timeout':
      return 'no answer within AUTHLETE_TIMEOUT_MS: check AUTHLETE_BASE_URL and the network path (HTTPS_PROXY / NO_PROXY)';
    case 'rate_limited':
      return `Authlete asked the gateway to slow down (HTTP ${failure.status}), so the credentials could not be proven; the check is repeated at the next start`;
    case 'overloaded':
    case 'circuit_open':
    case 'abandoned':
      return 'the gateway did not call Authlete (its calls are shed), so the credentials could not be proven';
    case 'connection_lost':
    case 'malformed_answer':
    case 'unexpected_action':
      return 'what answered is not Authlete\'s API: check AUTHLETE_BASE_URL and any proxy in between';
  }
}

function judge(answer: AuthorityAnswer, settings: AuthleteSettings): CredentialCheck {
  if (answer.kind === 'decision') return { kind: 'accepted', action: answer.action };
  return { kind: 'failed', failure: answer.failure, fix: fixFor(answer.failure, settings) };
}

/** One cheap call that proves the gateway can use Authlete; readiness never makes it. */
export async function checkCredentials(authority: RegistrationAuthority, settings: AuthleteSettings): Promise<CredentialCheck> {
  return judge(await authority.ask(probe()), settings);
}
