// A client ID has to come back out of `registration_client_uri` unchanged, so only characters a path segment
// carries without escaping are accepted; '.' and '..' would be read as path steps by anything on the way.
const CLIENT_ID = /^[A-Za-z0-9._~-]{1,255}$/;

/** Whether a (percent-decoded) path segment could be a client ID at all; one that cannot is not sent upstream. */
export function isPlausibleClientId(candidate: string): boolean {
  return CLIENT_ID.test(candidate) && candidate !== '.' && candidate !== '..';
}
