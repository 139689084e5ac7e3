/** The decisions a registration authority can hand back; each tells the gateway how to answer its client. */
export const REGISTRATION_ACTIONS = [
  'CREATED',
  'OK',
  'UPDATED',
  'DELETED',
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'INTERNAL_SERVER_ERROR',
] as const;

export type RegistrationAction = (typeof REGISTRATION_ACTIONS)[number];

const KNOWN: ReadonlySet<string> = new Set(REGISTRATION_ACTIONS);

export function isRegistrationAction(value: string): value is RegistrationAction {
  return KNOWN.has(value);
}
