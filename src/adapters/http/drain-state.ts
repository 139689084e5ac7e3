/** Whether the gateway is shutting down: readiness turns 503 and answers close their connections. */
export class DrainState {
  #draining = false;

  get draining(): boolean {
    return this.#draining;
  }

  begin(): void {
    this.#draining = true;
  }
}
