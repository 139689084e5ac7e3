import type { Secret } from './secret';

/** What every command carries besides its own fields. */
interface Asked {
  /** Whether the one who asked has gone; a call still waiting for its turn is then never made. */
  readonly abandoned?: () => boolean;
}

/** RFC 7591 registration: the metadata text as the client sent it, and the initial access token if it gave one. */
export interface RegisterCommand extends Asked {
  readonly operation: 'register';
  readonly metadataJson: string;
  readonly initialAccessToken?: Secret;
}

/** RFC 7592 read: which client, proven by its registration access token. */
export interface ReadCommand extends Asked {
  readonly operation: 'read';
  readonly clientId: string;
  readonly registrationAccessToken: Secret;
}

/** RFC 7592 update: the full replacement metadata text for the client. */
export interface UpdateCommand extends Asked {
  readonly operation: 'update';
  readonly clientId: string;
  readonly registrationAccessToken: Secret;
  readonly metadataJson: string;
}

/** RFC 7592 delete. */
export interface DeleteCommand extends Asked {
  readonly operation: 'delete';
  readonly clientId: string;
  readonly registrationAccessToken: Secret;
}

export type RegistrationCommand = RegisterCommand | ReadCommand | UpdateCommand | DeleteCommand;
