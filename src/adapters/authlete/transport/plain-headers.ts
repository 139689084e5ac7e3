type EntryIterator = ReturnType<Headers['entries']>;
type NameIterator = ReturnType<Headers['keys']>;
type HeaderRecord = Readonly<Record<string, string | string[] | undefined>>;

/**
 * The WHATWG `Headers` interface over the record of lower-case names undici hands back. Reads go straight to
 * that record; only a change copies it, so an answer whose headers are merely read costs no copy.
 */
export class PlainHeaders implements Headers {
  #record: HeaderRecord;
  #owned = false;

  constructor(record: HeaderRecord = {}) {
    this.#record = record;
  }

  get(name: string): string | null {
    const value = this.#record[name.toLowerCase()];
    if (value === undefined) return null;
    return typeof value === 'string' ? value : value.join(', ');
  }

  has(name: string): boolean {
    return this.#record[name.toLowerCase()] !== undefined;
  }

  getSetCookie(): string[] {
    const value = this.#record['set-cookie'];
    return value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
  }

  set(name: string, value: string): void {
    this.#writable()[name.toLowerCase()] = value;
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const record = this.#writable();
    const current = record[key];
    record[key] = current === undefined ? value : [...(typeof current === 'string' ? [current] : current), value];
  }

  delete(name: string): void {
    const record = this.#writable();
    delete record[name.toLowerCase()];
  }

  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  *entries(): EntryIterator {
    for (const key of Object.keys(this.#record).sort()) {
      const value = this.#record[key];
      if (value === undefined) continue;
      if (key === 'set-cookie' && typeof value !== 'string') for (const cookie of value) yield [key, cookie];
      else yield [key, typeof value === 'string' ? value : value.join(', ')];
    }
  }

  *keys(): NameIterator {
    for (const [key] of this.entries()) yield key;
  }

  *values(): NameIterator {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): EntryIterator {
    return this.entries();
  }

  toRecord(): Record<string, string> {
    return Object.fromEntries(this.entries());
  }

  #writable(): Record<string, string | string[] | undefined> {
    if (!this.#owned) {
      const copy: Record<string, string | string[] | undefined> = Object.create(null) as Record<string, string | string[] | undefined>;
      for (const key of Object.keys(this.#record)) copy[key.toLowerCase()] = this.#record[key];
      this.#record = copy;
      this.#owned = true;
      return copy;
    }
    return this.#record as Record<string, string | string[] | undefined>;
  }
}
