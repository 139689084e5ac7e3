import { Writable } from 'node:stream';

/** A pino destination that keeps every line, for tests that read what the gateway logged. */
export class MemoryLog extends Writable {
  readonly lines: string[] = [];

  readonly #waiting: Array<{ readonly match: (record: Record<string, unknown>) => boolean; readonly resolve: () => void }> = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const added = chunk.toString('utf8').split('\n').filter((line) => line !== '');
    this.lines.push(...added);
    for (const line of added) {
      const record = JSON.parse(line) as Record<string, unknown>;
      for (const waiter of [...this.#waiting]) {
        if (!waiter.match(record)) continue;
        this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
    done();
  }

  /** Resolves when a line matching `match` is written from now on. */
  next(match: (record: Record<string, unknown>) => boolean): Promise<void> {
    return new Promise((resolve) => this.#waiting.push({ match, resolve }));
  }

  records(): Array<Record<string, unknown>> {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  text(): string {
    return this.lines.join('\n');
  }
}
