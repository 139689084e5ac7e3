/** The four things a client can ask of the registration endpoints (RFC 7591 register, RFC 7592 read/update/delete). */
export type Operation = 'register' | 'read' | 'update' | 'delete';
