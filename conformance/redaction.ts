/**
 * Every secret the check has seen (tokens, client secrets), so that no line it prints can carry one, whatever
 * the evidence quoted. Short values are not recorded: they would blank out ordinary words.
 */
export class Redaction {
  readonly #secrets = new Set<string>();

  remember(secret: string | undefined): void {
    if (secret !== undefined && secret.length >= 8) this.#secrets.add(secret);
  }

  apply(text: string): string {
    let clean = text;
    for (const secret of this.#secrets) clean = clean.split(secret).join('[redacted]');
    return clean;
  }
}
