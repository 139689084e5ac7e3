import { join } from 'node:path';
import * as ts from 'typescript';
import { ROOT } from './paths.mts';

export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
}

// A file that exists only in memory, beside the tests, so that `kubernetes-models` resolves from node_modules.
const CHECKED = join(ROOT, 'test', 'support', '__kubernetes-manifests.mts');

/** The kubernetes-models type of an object: `k8s.apps.v1.IDeployment`, `k8s.v1.IService` (the core group). */
function typeName({ apiVersion, kind }: Manifest): string {
  const slash = apiVersion.indexOf('/');
  const [group, version] = slash === -1 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
  const namespace = group === '' ? '' : `${group.replace(/\.(\w)/g, (_, letter: string) => letter.toUpperCase())}.`;
  return `k8s.${namespace}${version}.I${kind}`;
}

/**
 * Checks each object against the TypeScript types kubernetes-models generates from the Kubernetes OpenAPI, as an
 * object literal: unlike the schema validation, this also finds a field the API does not have (a misspelt
 * `readOnlyRootFileSystem` would otherwise be ignored, and the pod would run with a writable root). Returns one
 * line per problem, naming the object.
 */
export function typeProblems(objects: readonly Manifest[]): string[] {
  const lines = objects.map((object, index) => `const object${index}: ${typeName(object)} = ${JSON.stringify(object)};`);
  const text = [`import type * as k8s from 'kubernetes-models';`, ...lines, 'export {};', ''].join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  const exists = host.fileExists.bind(host);
  host.getSourceFile = (name, language, ...rest) => (name === CHECKED ? ts.createSourceFile(name, text, language) : read(name, language, ...rest));
  host.fileExists = (name) => name === CHECKED || exists(name);
  const program = ts.createProgram([CHECKED], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const line = diagnostic.file === undefined || diagnostic.start === undefined ? -1 : diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line;
    const object = objects[line - 1];
    const where = object === undefined ? 'the check itself' : `${object.kind} #${line}`;
    return `${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
  });
}
