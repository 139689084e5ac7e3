type EntryIterator = ReturnType<Headers['entries']>;
type NameIterator = ReturnType<Headers['keys']>;
type HeaderRecord = Record<string, string | string[] | undefined>;

/**
 * The WHATWG `Headers` interface over the plain record undici hands back, so reading a header does not first
 * copy every header into a validated `Headers` object.
 */
export class PlainHeaders implements Headers {
  readonly #record: Map<string, string[]>;

  constructor(record: HeaderRecord = {}) {
    this.#record = new Map();
    for (const name of Object.keys(record)) {
      const value = record[name];
      if (value !== undefined) this.#record.set(name.toLowerCase(), Array.isArray(value) ? [...value] : [value]);
    }
  }

  get(name: string): string | null {
    const values = this.#record.get(name.toLowerCase());
    return values === undefined ? null : values.join(', ');
  }

  has(name: string): boolean {
    return this.#record.has(name.toLowerCase());
  }

  getSetCookie(): string[] {
    return [...(this.#record.get('set-cookie') ?? [])];
  }

  set(name: string, value: string): void {
    this.#record.set(name.toLowerCase(), [value]);
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    this.#record.set(key, [...(this.#record.get(key) ?? []), value]);
  }

  delete(name: string): void {
    this.#record.delete(name.toLowerCase());
  }

  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  *entries(): EntryIterator {
    for (const key of [...this.#record.keys()].sort()) {
      const values = this.#record.get(key) ?? [];
      if (key === 'set-cookie') for (const value of values) yield [key, value];
      else yield [key, values.join(', ')];
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
}
