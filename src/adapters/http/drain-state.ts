/** Whether the gateway is shutting down: readiness turns 503 and answers close their connections. */
export class DrainState {
  #draining = false;
  #cutOff = false;

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
}
