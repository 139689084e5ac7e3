/** The verdicts Authlete's introspection API gives on an access token and the scopes it must cover. */
export const INTROSPECTION_ACTIONS = ['OK', 'BAD_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'INTERNAL_SERVER_ERROR'] as const;

export type IntrospectionAction = (typeof INTROSPECTION_ACTIONS)[number];

const KNOWN: ReadonlySet<string> = new Set(INTROSPECTION_ACTIONS);

export function isIntrospectionAction(value: string): value is IntrospectionAction {
  return KNOWN.has(value);
}
