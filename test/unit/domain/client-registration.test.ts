import { ClientRegistration } from '../../../src/domain/client-registration';
import type { RegistrationCommand } from '../../../src/domain/commands';
import type { Operation } from '../../../src/domain/operation';
import type { RegistrationOutcome } from '../../../src/domain/outcome';
import { REGISTRATION_ACTIONS, type RegistrationAction } from '../../../src/domain/registration-action';
import { Secret } from '../../../src/domain/secret';
import { decision, FakeAuthority } from '../../support/fake-authority';

const CONTENT = '{"client_id":"42"}';
const token = new Secret('rat-123');

const COMMANDS: { [O in Operation]: Extract<RegistrationCommand, { operation: O }> } = {
  register: { operation: 'register', metadataJson: '{}' },
  read: { operation: 'read', clientId: '42', registrationAccessToken: token },
  update: { operation: 'update', clientId: '42', registrationAccessToken: token, metadataJson: '{"client_id":"42"}' },
  delete: { operation: 'delete', clientId: '42', registrationAccessToken: token },
};

function run(registration: ClientRegistration, operation: Operation): Promise<RegistrationOutcome> {
  switch (operation) {
    case 'register':
      return registration.register(COMMANDS.register);
    case 'read':
      return registration.read(COMMANDS.read);
    case 'update':
      return registration.update(COMMANDS.update);
    case 'delete':
      return registration.delete(COMMANDS.delete);
  }
}

// What each operation may return, and the outcome each of those actions becomes.
const EXPECTED: { [O in Operation]: Partial<Record<RegistrationAction, RegistrationOutcome['kind']>> } = {
  register: { CREATED: 'created', BAD_REQUEST: 'bad_request', INTERNAL_SERVER_ERROR: 'internal_server_error' },
  read: { OK: 'ok', BAD_REQUEST: 'bad_request', UNAUTHORIZED: 'unauthorized', INTERNAL_SERVER_ERROR: 'internal_server_error' },
  update: { UPDATED: 'updated', BAD_REQUEST: 'bad_request', UNAUTHORIZED: 'unauthorized', INTERNAL_SERVER_ERROR: 'internal_server_error' },
  delete: { DELETED: 'deleted', BAD_REQUEST: 'bad_request', UNAUTHORIZED: 'unauthorized', INTERNAL_SERVER_ERROR: 'internal_server_error' },
};

const cases = (Object.keys(EXPECTED) as Operation[]).flatMap((operation) =>
  REGISTRATION_ACTIONS.map((action) => [operation, action, EXPECTED[operation][action]] as const),
);

describe('ClientRegistration', () => {
  it.each(cases)('%s answered %s ends as %s', async (operation, action, expected) => {
    const authority = new FakeAuthority(decision(action, CONTENT));
    const outcome = await run(new ClientRegistration(authority), operation);

    if (expected === undefined) {
      expect(outcome).toEqual({ kind: 'authority_unavailable', failure: { cause: 'unexpected_action', action } });
    } else if (expected === 'deleted') {
      expect(outcome).toEqual({ kind: 'deleted' });
    } else {
      expect(outcome).toEqual({ kind: expected, content: CONTENT });
    }
  });

  it('hands the authority the command exactly as given', async () => {
    const authority = new FakeAuthority(decision('UPDATED', CONTENT));
    await new ClientRegistration(authority).update(COMMANDS.update);
    expect(authority.received).toEqual([COMMANDS.update]);
    expect(authority.received[0]).toBe(COMMANDS.update);
  });

  it('does not relay a decision that lacks the body it must carry', async () => {
    const authority = new FakeAuthority(decision('UPDATED'));
    const outcome = await new ClientRegistration(authority).update(COMMANDS.update);
    expect(outcome).toEqual({
      kind: 'authority_unavailable',
      failure: { cause: 'malformed_answer', reason: 'UPDATED came without responseContent' },
    });
  });

  it('accepts DELETED without responseContent and ignores one if sent', async () => {
    const registration = new ClientRegistration(new FakeAuthority(decision('DELETED')));
    expect(await registration.delete(COMMANDS.delete)).toEqual({ kind: 'deleted' });
    const chatty = new ClientRegistration(new FakeAuthority(decision('DELETED', '{"x":1}')));
    expect(await chatty.delete(COMMANDS.delete)).toEqual({ kind: 'deleted' });
  });

  it('passes an authority failure through with its cause', async () => {
    const failure = { cause: 'timeout', timeoutMs: 10_000 } as const;
    const outcome = await new ClientRegistration(new FakeAuthority({ kind: 'failure', failure })).update(COMMANDS.update);
    expect(outcome).toEqual({ kind: 'authority_unavailable', failure });
  });
});
