/** The default branch of an exhaustive switch: it compiles only when every case has been handled. */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
