import { closeSync, openSync, readSync } from 'node:fs';
import { z } from 'zod';
import { isSecret } from './setting-rules';

export type Env = Readonly<Record<string, string | undefined>>;

export type SettingsResult<T> = { readonly ok: true; readonly settings: T } | { readonly ok: false; readonly problems: readonly string[] };

/** A path as it can be printed on one line: it is no secret, but it may hold a control character. */
function printable(path: string): string {
  return path.replace(/[\x00-\x1F\x7F]/g, '?');
}

/** Names what is wrong with a file without quoting it: its contents are a secret, its path is not. */
function fileProblem(variable: string, path: string, error: unknown): string {
  // Not `instanceof Error`: an error from another realm (a test runner's sandbox) fails that check.
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : 'unknown';
  const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'is not readable' : `cannot be read (${code})`;
  return `${variable} names a file that ${why}: ${printable(path)}`;
}

// Far beyond any token; it bounds what a mistyped path such as /dev/zero or a log file would read.
const SECRET_FILE_LIMIT = 64 * 1024;

/**
 * The file's text, or undefined when it holds more than `limit` bytes. Read in steps rather than by its size, so
 * a pipe (`<(vault read ...)`) works like a file.
 */
function readAtMost(path: string, limit: number): string | undefined {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return length > limit ? undefined : buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces each secret given as `<NAME>_FILE` by the file's contents (less one trailing newline, which editors and
 * `echo` add), so the rule of `<NAME>` applies to it as to a value given directly.
 */
function resolveSecretFiles(shape: z.ZodRawShape, present: Record<string, string>, fromFile: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const [name, rule] of Object.entries(shape)) {
    const fileVariable = `${name}_FILE`;
    const path = present[fileVariable];
    if (!isSecret(rule) || path === undefined) continue;
    if (present[name] !== undefined) {
      problems.push(`${name} and ${fileVariable} are both set: give the value or the file, not both`);
      continue;
    }
    let contents: string | undefined;
    try {
      contents = readAtMost(path, SECRET_FILE_LIMIT)?.replace(/\r?\n$/, '');
    } catch (error) {
      problems.push(fileProblem(fileVariable, path, error));
      continue;
    }
    if (contents === undefined) problems.push(`${fileVariable} names a file larger than ${SECRET_FILE_LIMIT} bytes: ${printable(path)}`);
    else if (contents === '') problems.push(`${fileVariable} names an empty file: ${printable(path)}`);
    else {
      present[name] = contents;
      fromFile.set(name, path);
    }
  }
  return problems;
}

/**
 * One line for a value the rules refuse. A value read from a file is spoken of as that file's: the operator set
 * `<NAME>_FILE`, not `<NAME>`, and needs its path to find the file (a stray blank line, a space, a second line).
 */
function issueProblem(issue: z.core.$ZodIssue, fromFile: ReadonlyMap<string, string>): string {
  const name = String(issue.path[0]);
  const path = issue.path.length === 1 ? fromFile.get(name) : undefined;
  if (path === undefined) return `${issue.path.join('.')} ${issue.message}`;
  return `${name}_FILE names a file whose contents ${issue.message}, one trailing newline aside: ${printable(path)}`;
}

/**
 * Reads the settings a shape declares from an environment: an empty variable counts as unset, and each problem is
 * one line naming the variable and its rule, never the value (some values are secrets). `extraProblems` sees which
 * variables are set, for rules that span several settings.
 */
export function readSettings<S extends z.ZodRawShape>(
  shape: S,
  env: Env,
  extraProblems: (present: Readonly<Record<string, string>>) => readonly string[] = () => [],
): SettingsResult<z.output<z.ZodObject<S>>> {
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value !== '') present[name] = value;
  const fromFile = new Map<string, string>();
  const fileProblems = resolveSecretFiles(shape, present, fromFile);
  const parsed = z.object(shape).safeParse(present);
  const problems = [
    ...fileProblems,
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => issueProblem(issue, fromFile))),
    ...extraProblems(present),
  ];
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  return { ok: true, settings: parsed.data };
}
