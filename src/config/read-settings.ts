import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isSecret } from './setting-rules';

export type Env = Readonly<Record<string, string | undefined>>;

export type SettingsResult<T> = { readonly ok: true; readonly settings: T } | { readonly ok: false; readonly problems: readonly string[] };

/** Names what is wrong with a file without quoting it: its contents are a secret, its path is not. */
function fileProblem(variable: string, path: string, error: unknown): string {
  // Not `instanceof Error`: an error from another realm (a test runner's sandbox) fails that check.
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : 'unknown';
  const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'is not readable' : `cannot be read (${code})`;
  return `${variable} names a file that ${why}: ${path}`;
}

/**
 * Replaces each secret given as `<NAME>_FILE` by the file's contents (less one trailing newline, which editors and
 * `echo` add), so the rule of `<NAME>` applies to it as to a value given directly.
 */
function resolveSecretFiles(shape: z.ZodRawShape, present: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [name, rule] of Object.entries(shape)) {
    const fileVariable = `${name}_FILE`;
    const path = present[fileVariable];
    if (!isSecret(rule) || path === undefined) continue;
    if (present[name] !== undefined) {
      problems.push(`${name} and ${fileVariable} are both set: give the value or the file, not both`);
      continue;
    }
    let contents: string;
    try {
      contents = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      problems.push(fileProblem(fileVariable, path, error));
      continue;
    }
    if (contents === '') problems.push(`${fileVariable} names an empty file: ${path}`);
    else present[name] = contents;
  }
  return problems;
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
  const fileProblems = resolveSecretFiles(shape, present);
  const parsed = z.object(shape).safeParse(present);
  const problems = [
    ...fileProblems,
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`)),
    ...extraProblems(present),
  ];
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  return { ok: true, settings: parsed.data };
}
