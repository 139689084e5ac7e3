import type { Decision } from './answer';
import { clientView } from './client-information';
import type { StoredClient } from './client-store';
import type { ActionOf, Operation } from './operation';
import type { Refusal } from './refusal';
import { refusalCode, SUCCESS, withCode } from './result-codes';

type SuccessAction<O extends Operation> = Extract<ActionOf[O], 'CREATED' | 'OK' | 'UPDATED' | 'DELETED'>;
type RefusalAction<O extends Operation> = Extract<ActionOf[O], 'BAD_REQUEST' | 'UNAUTHORIZED'>;

/** A success decision with its `client` view; `responseContent` is absent only for DELETED. */
export function successDecision<O extends Operation>(
  operation: O,
  action: SuccessAction<O>,
  client: StoredClient,
  responseContent?: string,
): Decision<O> {
  const { code, message } = SUCCESS[operation];
  return {
    resultCode: code,
    resultMessage: withCode(code, message),
    action,
    ...(responseContent !== undefined && { responseContent }),
    client: clientView(client),
  };
}

/** A refusal, with the OAuth error body (RFC 7591 section 3.2.2, RFC 6750 section 3.1) the client is to get. */
export function refusalDecision<O extends Operation>(operation: O, action: RefusalAction<O>, why: Refusal): Decision<O> {
  const code = refusalCode(operation, why.problem);
  const resultMessage = withCode(code, why.message);
  return {
    resultCode: code,
    resultMessage,
    action,
    responseContent: JSON.stringify({ error: why.error, error_description: resultMessage }),
  };
}
