// RFC 3986 section 3.1: an absolute URI starts with a scheme. Custom schemes (com.example.app:/cb) are allowed,
// as native apps register them (RFC 8252).
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
// The WHATWG parser quietly strips tabs, newlines and edge spaces; a registered URI must match byte for byte.
const INVISIBLE_OR_SPACE = /[\s\u0000-\u001f\u007f]/;

/** What is wrong with a redirect URI (RFC 7591 section 2: absolute, no fragment), or undefined when nothing is. */
export function redirectUriProblem(uri: string): string | undefined {
  if (uri.includes('#')) return 'has a fragment';
  if (!SCHEME.test(uri) || INVISIBLE_OR_SPACE.test(uri) || URL.parse(uri) === null) return 'is not an absolute URI';
  return undefined;
}
