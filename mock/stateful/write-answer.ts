import type { ServerResponse } from 'node:http';
import type { MockAnswer } from './answer';

/** Writes an answer as JSON; a call failure carries only resultCode and resultMessage, as the contract says. */
export function writeAnswer(res: ServerResponse, answer: MockAnswer): void {
  const status = answer.kind === 'decision' ? 200 : answer.kind === 'minted' ? 201 : answer.status;
  const body = JSON.stringify(
    answer.kind === 'decision'
      ? answer.decision
      : answer.kind === 'minted'
        ? answer.token
        : { resultCode: answer.resultCode, resultMessage: answer.resultMessage },
  );
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  };
  if (status === 405) headers['Allow'] = 'POST';
  if (answer.kind === 'call_failure' && answer.closeConnection === true) headers['Connection'] = 'close';
  res.writeHead(status, headers);
  res.end(body);
}
