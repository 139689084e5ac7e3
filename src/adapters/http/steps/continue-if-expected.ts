import { type Nothing, proceed, type RequestContext, type StepResult } from '../pipeline';

/**
 * `Expect: 100-continue` (RFC 9110 section 10.1.1) is answered with 100 Continue only here, once every check that
 * needs no body has passed: a client about to be refused never sends its body.
 */
export function continueIfExpected(ctx: RequestContext): StepResult<Nothing> {
  const expect = ctx.req.headers.expect;
  if (expect !== undefined && expect.toLowerCase() === '100-continue' && !ctx.res.headersSent) ctx.res.writeContinue();
  return proceed({});
}
