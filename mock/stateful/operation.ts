/** The Authlete calls the mock answers: one per RFC 7591/7592 verb, and introspection of an access token. */
export type Operation = 'register' | 'read' | 'update' | 'delete' | 'introspect';

/** The actions each call may answer with, as openapi/authlete.yaml lists them per endpoint. */
export interface ActionOf {
  readonly register: 'CREATED' | 'BAD_REQUEST' | 'INTERNAL_SERVER_ERROR';
  readonly read: 'OK' | 'BAD_REQUEST' | 'UNAUTHORIZED' | 'INTERNAL_SERVER_ERROR';
  readonly update: 'UPDATED' | 'BAD_REQUEST' | 'UNAUTHORIZED' | 'INTERNAL_SERVER_ERROR';
  readonly delete: 'DELETED' | 'BAD_REQUEST' | 'UNAUTHORIZED' | 'INTERNAL_SERVER_ERROR';
  readonly introspect: 'OK' | 'BAD_REQUEST' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'INTERNAL_SERVER_ERROR';
}
