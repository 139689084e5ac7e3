import type { Exchanges } from './exchange';

export interface CreatedClient {
  readonly clientId: string;
  /** Where it is managed; a fixed-example deployment's own URI is replaced by one on the deployment. */
  uri: string;
  /** The latest registration access token the deployment gave for it. */
  token: string;
  deleted: boolean;
}

/** Every client the check registered, so that each is deleted at the end, whatever happened in between. */
export class CreatedClients {
  readonly #clients: CreatedClient[] = [];

  constructor(private readonly endpoint: URL) {}

  add(client: Omit<CreatedClient, 'deleted'>): CreatedClient {
    const known = this.#clients.find((candidate) => candidate.clientId === client.clientId);
    if (known !== undefined) return known;
    const added = { ...client, deleted: false };
    this.#clients.push(added);
    return added;
  }

  /** Deletes what is left; returns one line per client for the report. */
  async deleteRemaining(exchanges: Exchanges): Promise<string[]> {
    const lines: string[] = [];
    for (const client of this.#clients.filter((candidate) => !candidate.deleted)) {
      if (client.token === '') {
        lines.push(`cleanup  could not delete client ${client.clientId}: the deployment gave no registration access token`);
        continue;
      }
      // A relative registration_client_uri fails its check, but the client it names still has to go.
      const uri = client.uri === '' ? `${this.endpoint.href.replace(/\/+$/, '')}/${encodeURIComponent(client.clientId)}` : new URL(client.uri, this.endpoint).href;
      try {
        const answer = await exchanges.send({ label: 'DELETE <client URI> (cleanup)', method: 'DELETE', url: uri, token: client.token });
        client.deleted = answer.status === 204;
        lines.push(`cleanup  ${client.deleted ? 'deleted' : 'could not delete'} client ${client.clientId}: ${answer.status}`);
      } catch (error) {
        lines.push(`cleanup  could not delete client ${client.clientId}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return lines;
  }
}
