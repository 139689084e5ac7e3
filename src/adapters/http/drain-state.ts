/**
 * Whether the gateway is shutting down (readiness turns 503 and answers close their connections), and how many
 * requests are still between arrival and their log line.
 */
export class DrainState {
  #draining = false;
  #cutOff = false;
  #inFlight = 0;
  readonly #whenAllAnswered: Array<() => void> = [];

  get draining(): boolean {
    return this.#draining;
  }

  /** Whether the grace period has run out and the connections still open were closed under their requests. */
  get cutOff(): boolean {
    return this.#cutOff;
  }

  begin(): void {
    this.#draining = true;
  }

  cutOffNow(): void {
    this.#cutOff = true;
  }

  /** Requests that arrived and are not yet answered and logged. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** A request entered the frame. */
  arrived(): void {
    this.#inFlight++;
  }

  /** A request left the frame, its log line written. */
  answered(): void {
    this.#inFlight--;
    if (this.#inFlight === 0) for (const resolve of this.#whenAllAnswered.splice(0)) resolve();
  }

  /**
   * Resolves once every request that arrived has been answered, or after `waitMs` at most. A request cut off at the
   * end of the grace period finishes a few turns of the event loop after its connection closed (a body being read
   * fails, an abandoned call to Authlete rejects); the exit waits for it, so its line is written and not lost.
   */
  allAnswered(waitMs: number): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, waitMs);
      const whenAllAnswered = this.#whenAllAnswered;
      function done(): void {
        clearTimeout(timer);
        const at = whenAllAnswered.indexOf(done);
        if (at >= 0) whenAllAnswered.splice(at, 1);
        resolve();
      }
      whenAllAnswered.push(done);
    });
  }
}
