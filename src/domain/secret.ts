const REDACTED = '[redacted]';

/**
 * A credential the gateway relays but must never reveal by accident. Stringifying, JSON-encoding or inspecting
 * it yields a placeholder, so a secret that slips into a log call or an error message stays unreadable;
 * the one adapter that must send it calls `reveal()`.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}
