// Why the server could not listen, named by the setting to change. The system's own text would quote the address
// instead, and a problem names the variable, never its value.
const BY_CODE: Readonly<Record<string, string>> = {
  ENOTFOUND: 'HOST is a name that does not resolve here',
  EAI_AGAIN: 'HOST is a name that could not be resolved now (the resolver did not answer)',
  EADDRNOTAVAIL: 'HOST is not an address of this machine',
  EADDRINUSE: 'PORT is already taken on that address',
  EACCES: 'PORT is below 1024 and this process may not listen there',
};

/** The line that says why listening failed, or undefined for a failure that is not about HOST or PORT. */
export function listenProblem(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const problem = code === undefined ? undefined : BY_CODE[code];
  return problem === undefined ? undefined : `${problem} (${code})`;
}
