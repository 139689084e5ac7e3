import { readBearer } from '../../../src/adapters/http/bearer-credentials';

describe('readBearer (RFC 6750 section 2.1)', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER  abc', 'abc'],
    ['Bearer mF_9.B5f-4.1JqM', 'mF_9.B5f-4.1JqM'],
    ['Bearer a+b/c~d==', 'a+b/c~d=='],
    ['  Bearer abc  ', 'abc'],
  ])('reads %j as the token %j', (header, token) => {
    const read = readBearer([header]);
    expect(read.kind).toBe('token');
    if (read.kind === 'token') expect(read.token.reveal()).toBe(token);
  });

  it.each([
    ['no header at all', undefined],
    ['an empty list', []],
    ['Bearer and nothing else', ['Bearer']],
    ['Bearer and blanks', ['Bearer    ']],
    ['an empty header', ['']],
    ['a header of blanks', ['   ']],
  ])('finds no token in %s', (_case, headers) => {
    expect(readBearer(headers)).toEqual({ kind: 'absent' });
  });

  it.each([['Basic dXNlcjpwYXNz'], ['DPoP abc'], ['Bearerabc'], ['Token abc']])('calls %j another scheme', (header) => {
    expect(readBearer([header])).toEqual({ kind: 'other_scheme' });
  });

  it.each([
    ['two tokens', ['Bearer abc def']],
    ['a comma list', ['Bearer abc, Bearer def']],
    ['a quote', ['Bearer "abc"']],
    ['padding inside', ['Bearer ab=c']],
    ['non-ASCII', ['Bearer jéton']],
    ['two headers', ['Bearer abc', 'Bearer def']],
  ])('calls %s malformed', (_case, headers) => {
    expect(readBearer(headers).kind).toBe('malformed');
  });
});
