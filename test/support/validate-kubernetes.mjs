// Validates Kubernetes objects against the API's schemas as the kubernetes-models package ships them (generated
// from the Kubernetes OpenAPI; nothing is downloaded). Reads a JSON array of objects on stdin and writes, as JSON,
// one entry per object: its kind and name, and the schema's complaint or null. A separate ESM process because
// kubernetes-models is ESM-only and the tests run as CommonJS.
import * as models from 'kubernetes-models';

function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  // 'networking.k8s.io' is exported as networkingK8sIo; the core group's versions sit at the top.
  const namespace = group === '' ? models : models[group.replace(/\.(\w)/g, (_, letter) => letter.toUpperCase())];
  return namespace?.[version]?.[kind];
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  const results = JSON.parse(input).map((object) => {
    const Model = modelFor(object.apiVersion ?? '', object.kind ?? '');
    const name = object.metadata?.name ?? '';
    if (Model === undefined) return { kind: object.kind, name, problem: `no schema for ${object.apiVersion} ${object.kind}` };
    try {
      new Model(object).validate();
      return { kind: object.kind, name, problem: null };
    } catch (error) {
      return { kind: object.kind, name, problem: error instanceof Error ? error.message : String(error) };
    }
  });
  process.stdout.write(JSON.stringify(results));
});
