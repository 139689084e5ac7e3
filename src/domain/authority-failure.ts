/**
 * Why the registration authority gave no usable answer. None of these is the client's fault, and none may be
 * passed to the client as if it were a registration decision.
 */
export type AuthorityFailure =
  /** No complete answer arrived within the configured time (waiting for a free connection included). */
  | { readonly cause: 'timeout'; readonly timeoutMs: number }
  /** The connection could not be made (refused, no route, name not resolved). */
  | { readonly cause: 'unreachable'; readonly code: string }
  /** The connection was made but TLS failed: most often a certificate this process does not trust. */
  | { readonly cause: 'tls_failure'; readonly code: string }
  /** The connection broke after the request was sent, before a whole answer arrived. */
  | { readonly cause: 'connection_lost'; readonly code: string }
  /** The authority refused the call itself (our credentials, our service, its outage): any status but 200. */
  | { readonly cause: 'http_error'; readonly status: number; readonly resultCode?: string; readonly resultMessage?: string }
  /** The authority said it is overloaded or rate limiting us, and when to come back. */
  | { readonly cause: 'rate_limited'; readonly status: number; readonly retryAfterSeconds: number }
  /** The calls already in flight and waiting fill every place: this one was not even queued. */
  | { readonly cause: 'overloaded'; readonly retryAfterSeconds: number }
  /** The one who asked went away while the call waited for a connection: it was never sent. */
  | { readonly cause: 'abandoned' }
  /** A run of recent calls failed: the authority is left alone until a trial call shows it has recovered. */
  | { readonly cause: 'circuit_open'; readonly retryAfterSeconds: number }
  /** An answer arrived but could not be read as a decision. */
  | { readonly cause: 'malformed_answer'; readonly reason: string }
  /** A decision arrived that this operation can never produce. */
  | { readonly cause: 'unexpected_action'; readonly action: string };

export type FailureCause = AuthorityFailure['cause'];
