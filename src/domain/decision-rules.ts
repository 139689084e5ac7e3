import type { Operation } from './operation';
import type { RegistrationAction } from './registration-action';
import type {
  DeleteOutcome,
  ReadOutcome,
  RegisterOutcome,
  RegistrationOutcome,
  UpdateOutcome,
} from './outcome';

/**
 * How one operation turns each action into an outcome. The table is keyed by every action there is, so adding
 * an action to `REGISTRATION_ACTIONS` fails to compile until each operation has said what it means for it.
 */
export type Rule<T extends RegistrationOutcome> =
  | { readonly needsContent: true; readonly build: (content: string) => T }
  | { readonly needsContent: false; readonly build: () => T }
  | 'not_expected';

export type DecisionTable<T extends RegistrationOutcome> = { readonly [A in RegistrationAction]: Rule<T> };

function relay<T extends RegistrationOutcome>(build: (content: string) => T): Rule<T> {
  return { needsContent: true, build };
}

const badRequest = relay((content) => ({ kind: 'bad_request', content }) as const);
const unauthorized = relay((content) => ({ kind: 'unauthorized', content }) as const);
const internalServerError = relay((content) => ({ kind: 'internal_server_error', content }) as const);

/** The actions an operation can never produce; still listed one by one, so a new action must be placed. */
function notExpected<A extends RegistrationAction>(...actions: A[]): Record<A, 'not_expected'> {
  return Object.fromEntries(actions.map((action) => [action, 'not_expected'])) as Record<A, 'not_expected'>;
}

/** How read, update and delete all refuse: the token or the request is wrong, or the authority failed. */
const MANAGEMENT_REFUSALS = { BAD_REQUEST: badRequest, UNAUTHORIZED: unauthorized, INTERNAL_SERVER_ERROR: internalServerError } as const;

export const REGISTER_RULES: DecisionTable<RegisterOutcome> = {
  CREATED: relay((content) => ({ kind: 'created', content })),
  BAD_REQUEST: badRequest,
  INTERNAL_SERVER_ERROR: internalServerError,
  // Registration has no token to be unauthorized with: a bad initial access token comes back as BAD_REQUEST.
  ...notExpected('UNAUTHORIZED', 'OK', 'UPDATED', 'DELETED'),
};

export const READ_RULES: DecisionTable<ReadOutcome> = {
  OK: relay((content) => ({ kind: 'ok', content })),
  ...MANAGEMENT_REFUSALS,
  ...notExpected('CREATED', 'UPDATED', 'DELETED'),
};

export const UPDATE_RULES: DecisionTable<UpdateOutcome> = {
  UPDATED: relay((content) => ({ kind: 'updated', content })),
  ...MANAGEMENT_REFUSALS,
  ...notExpected('CREATED', 'OK', 'DELETED'),
};

export const DELETE_RULES: DecisionTable<DeleteOutcome> = {
  // RFC 7592 section 2.3: a deleted client gets 204 and no body, so Authlete sends no responseContent.
  DELETED: { needsContent: false, build: () => ({ kind: 'deleted' }) },
  ...MANAGEMENT_REFUSALS,
  ...notExpected('CREATED', 'OK', 'UPDATED'),
};

const RULES: { readonly [O in Operation]: DecisionTable<RegistrationOutcome> } = {
  register: REGISTER_RULES,
  read: READ_RULES,
  update: UPDATE_RULES,
  delete: DELETE_RULES,
};

/** Whether the operation can return the action at all: one it cannot is the authority failing, not deciding. */
export function canReturn(operation: Operation, action: RegistrationAction): boolean {
  return RULES[operation][action] !== 'not_expected';
}
