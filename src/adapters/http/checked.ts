import type { HttpReply } from './http-reply';

/** A value read from the request, or the reply that refuses the request because it could not be read. */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reply: HttpReply };

export function accepted<T>(value: T): Checked<T> {
  return { ok: true, value };
}

export function refused<T>(reply: HttpReply): Checked<T> {
  return { ok: false, reply };
}
