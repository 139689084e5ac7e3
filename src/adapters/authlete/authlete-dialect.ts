import { assertNever } from '../../domain/assert-never';
import type { RegistrationCommand } from '../../domain/commands';
import type { Secret } from '../../domain/secret';
import type { RawAnswer } from './read-answer';

/** The request bodies of the four calls; the same fields in API v2 and v3. */
export interface RegisterBody {
  readonly json: string;
  readonly token?: string;
}
export interface ManageBody {
  readonly clientId: string;
  readonly token: string;
}
export interface UpdateBody extends ManageBody {
  readonly json: string;
}
/** The introspection call's body: the token to check and the scopes it must cover. */
export interface IntrospectBody {
  readonly token: string;
  readonly scopes: string[];
}

/**
 * Where one Authlete API version sends each of the four calls and introspection, and with which credential. Everything else
 * (bodies, deadline, retry, reading the answer, naming a failure) is the same for every version.
 */
export interface AuthleteDialect {
  /** The credentials every call carries in this version, as sent: Authlete's text is scrubbed of them before it is logged. */
  readonly credentials: readonly Secret[];
  /**
   * What Authlete's text must not carry to a client: the credentials, and whatever else of them identifies the
   * service (v2's API key, the user name half of the Basic credential; no secret in a log line, where the start-up
   * line names it, but nothing a client needs to learn).
   */
  readonly notForClients: readonly Secret[];
  /** `signal` ends a call that waited for a connection when its deadline, counted from the start of the wait, passes. */
  register(body: RegisterBody, signal: AbortSignal | undefined): Promise<RawAnswer>;
  read(body: ManageBody, signal: AbortSignal | undefined): Promise<RawAnswer>;
  update(body: UpdateBody, signal: AbortSignal | undefined): Promise<RawAnswer>;
  delete(body: ManageBody, signal: AbortSignal | undefined): Promise<RawAnswer>;
  introspect(body: IntrospectBody, signal: AbortSignal | undefined): Promise<RawAnswer>;
}

/** Sends a command as the call its operation names, in the dialect's paths. */
export function sendCommand(dialect: AuthleteDialect, command: RegistrationCommand, signal: AbortSignal | undefined): Promise<RawAnswer> {
  switch (command.operation) {
    case 'register': {
      const token = command.initialAccessToken?.reveal();
      return dialect.register(token === undefined ? { json: command.metadataJson } : { json: command.metadataJson, token }, signal);
    }
    case 'read':
      return dialect.read({ clientId: command.clientId, token: command.registrationAccessToken.reveal() }, signal);
    case 'update':
      return dialect.update({ clientId: command.clientId, token: command.registrationAccessToken.reveal(), json: command.metadataJson }, signal);
    case 'delete':
      return dialect.delete({ clientId: command.clientId, token: command.registrationAccessToken.reveal() }, signal);
    default:
      return assertNever(command);
  }
}
