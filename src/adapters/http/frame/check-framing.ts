import type { HttpReply } from '../http-reply';
import { REPLIES } from '../replies';
import type { FrameContext } from './request-frame';

/** How many Host and Content-Type fields the request has; Node keeps only the first of each. */
function singletonFields(rawHeaders: readonly string[]): { hosts: number; contentTypes: number } {
  let hosts = 0;
  let contentTypes = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    if (name.length === 4 && name.toLowerCase() === 'host') hosts++;
    else if (name.length === 12 && name.toLowerCase() === 'content-type') contentTypes++;
  }
  return { hosts, contentTypes };
}

/**
 * What RFC 9112 section 3.2 and RFC 9110 section 10.1.1 require of every request, answered in the gateway's JSON
 * rather than by Node's bare status lines: exactly one Host (none is allowed in HTTP/1.0), at most one Content-Type, no expectation but
 * 100-continue, and no transfer coding but chunked (Node's parser takes `gzip, chunked` and hands on the gzip bytes
 * as they are, which the body checks then misread).
 */
export function checkFraming(ctx: FrameContext): HttpReply | undefined {
  const { req } = ctx;
  const { hosts, contentTypes } = singletonFields(req.rawHeaders);
  if (hosts > 1) return REPLIES.hostRepeated;
  // Two media types for one body: a proxy in front may have read the other one.
  if (contentTypes > 1) return REPLIES.contentTypeRepeated;
  if (hosts === 0 && req.httpVersionMajor === 1 && req.httpVersionMinor >= 1) return REPLIES.hostMissing;
  const expect = req.headers.expect;
  if (expect !== undefined && expect.toLowerCase() !== '100-continue') return REPLIES.expectationUnknown;
  const coding = req.headers['transfer-encoding'];
  if (coding !== undefined && coding.trim().toLowerCase() !== 'chunked') return REPLIES.transferCodingUnsupported;
  return undefined;
}
