import { readArguments } from '../../../conformance/arguments';
import { Redaction } from '../../../conformance/redaction';
import { Report } from '../../../conformance/report';

describe('the conformance check, in parts', () => {
  it.each([
    [[], 'the registration endpoint URL is missing'],
    [['ftp://as.example.com/register'], 'must be an http or https URL'],
    [['https://as.example.com/register?x=1'], 'must not carry a query or fragment'],
    [['https://as.example.com/register', 'https://other.example.com/register'], 'only one registration endpoint'],
    [['https://as.example.com/register', '--token'], '--token needs a value'],
    [['https://as.example.com/register', '--timeout-ms', 'soon'], '--timeout-ms must be a whole number'],
    [['https://as.example.com/register', '--verbose'], 'unknown option --verbose'],
  ])('refuses the command line %j', (argv, problem) => {
    const read = readArguments(argv);
    expect(read.ok ? '' : read.problem).toContain(problem);
  });

  it('reads the endpoint, the token and the timeout', () => {
    const read = readArguments(['https://as.example.com/register', '--token', 'iat-1', '--timeout-ms', '2500']);
    expect(read.ok && { endpoint: read.args.endpoint.href, token: read.args.initialAccessToken, timeoutMs: read.args.timeoutMs }).toEqual({
      endpoint: 'https://as.example.com/register',
      token: 'iat-1',
      timeoutMs: 2500,
    });
  });

  it('never names a token it was given in a problem', () => {
    const read = readArguments(['--token', 'iat-secret-value', '--token']);
    expect(read.ok ? '' : read.problem).not.toContain('iat-secret-value');
  });

  it('prints no secret it has seen and no control character the deployment sent', () => {
    const lines: string[] = [];
    const redaction = new Redaction();
    const report = new Report((line) => lines.push(line), redaction);
    redaction.remember('registration-access-token-1');
    report.add({ verdict: 'fail', name: 'a check', evidence: 'got registration-access-token-1 and \u001b[2Jescape' });
    report.note('note  client \u001b]0;title\u0007 deleted');
    expect(lines).toEqual(['FAIL  a check | got [redacted] and ?[2Jescape', 'note  client ?]0;title? deleted']);
    expect(report.failed()).toBe(true);
    expect(report.summary()).toBe('1 checks: 0 passed, 1 failed, 0 skipped');
  });
});
