import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { GATEWAY_SPEC, ROOT } from '../support/paths.mts';

/**
 * openapi/dcr-gateway.yaml kept in step with the README: every status of the error table is described (by an
 * operation, or for answers outside every operation by a response in components), and every described answer
 * promises the headers every answer carries. The end-to-end tests hold the service to what is described.
 */

const record = z.record(z.string(), z.unknown());
const spec = z
  .looseObject({
    paths: z.record(z.string(), record),
    components: z.looseObject({ responses: z.record(z.string(), record), headers: z.record(z.string(), record) }),
  })
  .parse(parse(readFileSync(GATEWAY_SPEC, 'utf8')));

const METHODS = ['get', 'put', 'post', 'delete', 'options'];

function resolved(node: Record<string, unknown>): Record<string, unknown> {
  const ref = node['$ref'];
  if (typeof ref !== 'string') return node;
  const [, , kind, name] = ref.split('/');
  const target = kind === 'responses' ? spec.components.responses[name ?? ''] : kind === 'headers' ? spec.components.headers[name ?? ''] : undefined;
  if (target === undefined) throw new Error(`unresolved ${ref}`);
  return target;
}

const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
  METHODS.flatMap((method) => {
    const operation = record.safeParse(item[method]);
    if (!operation.success) return [];
    const responses = record.parse(operation.data['responses']);
    return Object.entries(responses).map(([status, response]) => ({ where: `${method.toUpperCase()} ${path} ${status}`, status, response: resolved(record.parse(response)) }));
  }),
);
// Answers outside every operation (Prism answers such requests itself, so no end-to-end test reaches them through it).
const OUTSIDE: Readonly<Record<string, string>> = { NotFound: '404', MethodNotAllowed: '405', RequestTimeout: '408', ExpectationFailed: '417', HeadersTooLarge: '431', NotImplemented: '501' };

function requiredHeaders(response: Record<string, unknown>): string[] {
  const headers = record.safeParse(response['headers']);
  if (!headers.success) return [];
  return Object.entries(headers.data).flatMap(([name, header]) => (resolved(record.parse(header))['required'] === true ? [name] : []));
}

const readmeStatuses = [
  ...new Set(
    readFileSync(resolve(ROOT, 'README.md'), 'utf8')
      .split('<!-- error-table')[1]
      ?.split('\n\n')[0]
      ?.split('\n')
      .flatMap((line) => /^\| (\d{3}) \|/.exec(line)?.[1] ?? []) ?? [],
  ),
];

describe('openapi/dcr-gateway.yaml', () => {
  it('reads the README error table', () => {
    expect(readmeStatuses.length).toBeGreaterThan(10);
  });

  it.each(readmeStatuses)('describes the README status %s', (status) => {
    const byOperation = operations.some((answer) => answer.status === status);
    const outside = Object.entries(OUTSIDE).some(([name, described]) => described === status && spec.components.responses[name] !== undefined);
    expect(byOperation || outside).toBe(true);
  });

  it.each(operations.map((answer) => [answer.where, answer.response] as const))('%s promises Cache-Control, Pragma and X-Request-Id', (_where, response) => {
    expect(requiredHeaders(response)).toEqual(expect.arrayContaining(['Cache-Control', 'Pragma', 'X-Request-Id']));
  });

  it.each(operations.filter((answer) => answer.status === '401').map((answer) => answer.where))('%s promises a Bearer challenge', (where) => {
    expect(requiredHeaders(operations.find((answer) => answer.where === where)?.response ?? {})).toContain('WWW-Authenticate');
  });

  it('promises Allow on 405 and on OPTIONS', () => {
    expect(requiredHeaders(spec.components.responses['MethodNotAllowed'] ?? {})).toContain('Allow');
    expect(requiredHeaders(spec.components.responses['Options'] ?? {})).toContain('Allow');
  });
});
