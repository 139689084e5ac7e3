import { z } from 'zod';
import { assertNever } from './assert-never';
import { parseJson } from './json-value';
import type { Operation } from './operation';

const text = z.string({ error: 'must be a non-empty string' }).min(1, { error: 'must be a non-empty string' });

// additionalProperties: false in openapi/authlete.yaml, hence strict objects.
const registerBody = z.strictObject({ json: text, token: text.optional() });
const manageBody = z.strictObject({ clientId: text, token: text });
const updateBody = z.strictObject({ clientId: text, token: text, json: text });
const introspectBody = z.strictObject({ token: text, scopes: z.array(text).optional() });

export type CallRequest =
  | ({ readonly operation: 'register' } & z.infer<typeof registerBody>)
  | ({ readonly operation: 'read' | 'delete' } & z.infer<typeof manageBody>)
  | ({ readonly operation: 'update' } & z.infer<typeof updateBody>)
  | ({ readonly operation: 'introspect' } & z.infer<typeof introspectBody>);

export type CallRead =
  | { readonly ok: true; readonly call: CallRequest }
  | { readonly ok: false; readonly problem: 'not_json' }
  | { readonly ok: false; readonly problem: 'contract'; readonly detail: string };

const MAX_NAMED = 3;
const MAX_NAME = 40;

function quoted(name: string): string {
  return JSON.stringify(name.length > MAX_NAME ? `${name.slice(0, MAX_NAME)}…` : name);
}

// Names fields, never values: a value could be a token.
function describe(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        const named = issue.keys.slice(0, MAX_NAMED).map(quoted).join(', ');
        return `unexpected ${issue.keys.length === 1 ? 'field' : 'fields'} ${named}${issue.keys.length > MAX_NAMED ? ', …' : ''}`;
      }
      if (issue.path.length === 0) return 'the body must be a JSON object';
      return `${issue.path.map(String).join('.')} ${issue.message}`;
    })
    .join('; ');
}

type Checked<T> = { readonly success: true; readonly data: T } | { readonly success: false; readonly error: z.ZodError };

function outcome<T>(checked: Checked<T>, toCall: (data: T) => CallRequest): CallRead {
  return checked.success ? { ok: true, call: toCall(checked.data) } : { ok: false, problem: 'contract', detail: describe(checked.error.issues) };
}

/** Reads the body of one of the four calls against its request schema. */
export function readCall(operation: Operation, body: string): CallRead {
  const parsed = parseJson(body);
  if (!parsed.ok) return { ok: false, problem: 'not_json' };
  switch (operation) {
    case 'register':
      return outcome(registerBody.safeParse(parsed.value), (data) => ({ operation, ...data }));
    case 'read':
    case 'delete':
      return outcome(manageBody.safeParse(parsed.value), (data) => ({ operation, ...data }));
    case 'update':
      return outcome(updateBody.safeParse(parsed.value), (data) => ({ operation, ...data }));
    case 'introspect':
      return outcome(introspectBody.safeParse(parsed.value), (data) => ({ operation, ...data }));
    default:
      return assertNever(operation);
  }
}
