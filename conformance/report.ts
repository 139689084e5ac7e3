import type { Redaction } from './redaction';

export type Verdict = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  readonly verdict: Verdict;
  readonly name: string;
  /** What was seen (pass, fail) or why the check does not apply (skip). */
  readonly evidence: string;
}

const LABEL: Readonly<Record<Verdict, string>> = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' };
const MAX_EVIDENCE = 240;

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_EVIDENCE ? `${line.slice(0, MAX_EVIDENCE)}…` : line;
}

// Lines quote what the deployment sent: a control character (a terminal escape, say) is shown as '?'.
function printable(line: string): string {
  return line.replace(/[\x00-\x1F\x7F-\x9F]/g, '?');
}

/** Writes one line per check as it is decided, and the summary at the end; every line passes the redaction. */
export class Report {
  readonly results: CheckResult[] = [];

  constructor(
    private readonly write: (line: string) => void,
    private readonly redaction: Redaction,
  ) {}

  add(result: CheckResult): void {
    this.results.push(result);
    this.write(printable(this.redaction.apply(`${LABEL[result.verdict]}  ${result.name} | ${clip(result.evidence)}`)));
  }

  note(text: string): void {
    this.write(printable(this.redaction.apply(text)));
  }

  failed(): boolean {
    return this.results.some((result) => result.verdict === 'fail');
  }

  summary(): string {
    const count = (verdict: Verdict) => this.results.filter((result) => result.verdict === verdict).length;
    return `${this.results.length} checks: ${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped`;
  }
}
