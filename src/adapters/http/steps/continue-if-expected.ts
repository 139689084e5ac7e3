import { type Nothing, proceed, type RequestContext, type StepResult } from '../pipeline';

/**
 * `Expect: 100-continue` (RFC 9110 section 10.1.1) is answered with 100 Continue only here, once every check that
 * needs no body has passed: a client about to be refused never sends its body.
 */
export function continueIfExpected(ctx: RequestContext): StepResult<Nothing> {
  const { req, res } = ctx;
  const expect = req.headers.expect;
  // An HTTP/1.0 client gets no 1xx, which it would take for the final answer (RFC 9110 section 15.2); it sends its
  // body anyway.
  if (expect !== undefined && expect.toLowerCase() === '100-continue' && !res.headersSent && req.httpVersionMinor >= 1) res.writeContinue();
  return proceed({});
}
