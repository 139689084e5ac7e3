import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { PROBES } from '../../src/adapters/http/probe-paths';
import { GATEWAY_SETTINGS, type GatewayConfig } from '../../src/config/gateway-config';
import { loadConfig } from '../../src/config/load-config';
import { isSecret } from '../../src/config/setting-rules';
import { typeProblems } from '../support/kubernetes-types';
import { ROOT } from '../support/paths.mts';

const BASE = resolve(ROOT, 'deploy', 'kubernetes');
const REDIS = resolve(BASE, 'components', 'redis');
const VALIDATOR = resolve(ROOT, 'test', 'support', 'validate-kubernetes.mjs');
// The bench's peak resident set under load (bench/README.md): requests below it would get the pod evicted.
const PEAK_RSS_MIB = 140;

/** Every variable the service reads, from its one settings schema: each setting, and `<NAME>_FILE` for a secret. */
const CONFIG_VARIABLES: ReadonlySet<string> = new Set(
  Object.entries(GATEWAY_SETTINGS).flatMap(([name, rule]) => (isSecret(rule) ? [name, `${name}_FILE`] : [name])),
);

const kubeObject = z.object({ apiVersion: z.string(), kind: z.string(), metadata: z.object({ name: z.string() }).loose() }).loose();
type KubeObject = z.infer<typeof kubeObject>;

const kustomization = z.object({
  kind: z.enum(['Kustomization', 'Component']),
  resources: z.array(z.string()).default([]),
  patches: z.array(z.object({ path: z.string() })).default([]),
});

const httpProbe = z.object({ httpGet: z.object({ path: z.string(), port: z.union([z.string(), z.number()]) }), periodSeconds: z.number(), failureThreshold: z.number().default(3) });
const securityContext = z.object({
  allowPrivilegeEscalation: z.literal(false),
  readOnlyRootFilesystem: z.literal(true),
  capabilities: z.object({ drop: z.tuple([z.literal('ALL')]) }),
});
const container = z.object({
  name: z.string(),
  env: z.array(z.object({ name: z.string(), value: z.string() })).default([]),
  envFrom: z.array(z.object({ configMapRef: z.object({ name: z.string() }) })).default([]),
  ports: z.array(z.object({ name: z.string(), containerPort: z.number() })),
  securityContext,
  resources: z.object({
    requests: z.object({ cpu: z.string(), memory: z.string() }),
    limits: z.object({ memory: z.string() }).loose(),
  }),
});
const gatewayContainer = container.extend({
  startupProbe: httpProbe,
  livenessProbe: httpProbe,
  readinessProbe: httpProbe,
  lifecycle: z.object({ preStop: z.object({ sleep: z.object({ seconds: z.number() }) }) }),
});
const podSpec = z.object({
  automountServiceAccountToken: z.literal(false),
  enableServiceLinks: z.literal(false),
  terminationGracePeriodSeconds: z.number().optional(),
  securityContext: z.object({ runAsNonRoot: z.literal(true), runAsUser: z.number().positive(), seccompProfile: z.object({ type: z.literal('RuntimeDefault') }) }),
  containers: z.array(z.unknown()).length(1),
}).loose();
const deployment = z.object({
  metadata: z.object({ name: z.string() }),
  spec: z.object({
    selector: z.object({ matchLabels: z.record(z.string(), z.string()) }),
    template: z.object({ metadata: z.object({ labels: z.record(z.string(), z.string()), annotations: z.record(z.string(), z.string()).default({}) }), spec: podSpec }),
  }),
});
const configMap = z.object({ metadata: z.object({ name: z.string() }), data: z.record(z.string(), z.string()) });
const service = z.object({ spec: z.object({ ports: z.array(z.object({ port: z.number(), targetPort: z.union([z.string(), z.number()]) })) }) });

function documents(file: string): KubeObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((document) => kubeObject.parse(document.toJS()));
}

function kustomizationIn(dir: string): z.infer<typeof kustomization> {
  return kustomization.parse(parseAllDocuments(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'))[0]?.toJS());
}

function objectsIn(dir: string): KubeObject[] {
  return kustomizationIn(dir).resources.flatMap((file) => documents(join(dir, file)));
}

function only(objects: readonly KubeObject[], kind: string, name?: string): KubeObject {
  const found = objects.filter((object) => object.kind === kind && (name === undefined || object.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name === undefined ? '' : ` ${name}`}, found ${found.length}`);
  return found[0] as KubeObject;
}

function validate(objects: readonly unknown[]): Array<{ kind: string; name: string; problem: string | null }> {
  const run = spawnSync(process.execPath, [VALIDATOR], { cwd: ROOT, input: JSON.stringify(objects), encoding: 'utf8', timeout: 30_000 });
  if (run.status !== 0) throw new Error(`the validator failed: ${run.stderr}`);
  return z.array(z.object({ kind: z.string(), name: z.string(), problem: z.string().nullable() })).parse(JSON.parse(run.stdout));
}

function mebibytes(quantity: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (match === null) throw new Error(`unexpected memory quantity ${quantity}`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}

const base = objectsIn(BASE);
const gateway = deployment.parse(only(base, 'Deployment', 'dcr-gateway'));
const pod = gateway.spec.template.spec;
const main = gatewayContainer.parse(pod.containers[0]);
const settings = configMap.parse(only(base, 'ConfigMap', main.envFrom[0]?.configMapRef.name));

/** The environment the container gets: the ConfigMap's data, then its own env. */
function containerEnv(): Record<string, string> {
  return { ...settings.data, ...Object.fromEntries(main.env.map(({ name, value }) => [name, value])) };
}

/** The configuration the service builds from that environment; a secret read from a file stands in as its value. */
function serviceConfig(): GatewayConfig {
  const env = Object.fromEntries(Object.entries(containerEnv()).map(([name, value]) => (name.endsWith('_FILE') ? [name.slice(0, -5), 'stand-in'] : [name, value])));
  const result = loadConfig(env);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.config;
}

function port(name: string): number {
  const found = main.ports.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no container port named ${name}`);
  return found.containerPort;
}

describe('the Kubernetes manifests', () => {
  it('validate against the Kubernetes API schemas, and the validation can fail', () => {
    const objects = [...base, ...objectsIn(REDIS)];
    expect(validate(objects).filter((result) => result.problem !== null)).toEqual([]);
    expect(objects.map((object) => object.kind).sort()).toEqual(
      ['ConfigMap', 'Deployment', 'Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'Service'].sort(),
    );
    const broken = { ...only(base, 'PodDisruptionBudget'), spec: { minAvailable: 1, selector: 'every pod' } };
    expect(validate([broken])[0]?.problem).toMatch(/selector/);
  });

  it('name no field the Kubernetes API lacks, and a misspelt one is found', () => {
    const objects = [...base, ...objectsIn(REDIS), ...documents(join(REDIS, 'configmap-patch.yaml'))];
    const misspelt = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'typo' }, spec: { containers: [{ name: 'c', securityContext: { readOnlyRootFileSystem: true } }] } };
    const problems = typeProblems([...objects, misspelt]);
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^Pod #${objects.length + 1}: .*'"readOnlyRootFileSystem"' does not exist`))]);
  });

  it('list every manifest in their kustomization, and only files that exist', () => {
    for (const dir of [BASE, REDIS]) {
      const listed = kustomizationIn(dir);
      const files = [...listed.resources, ...listed.patches.map((patch) => patch.path)];
      for (const file of files) expect(existsSync(join(dir, file))).toBe(true);
      const present = readdirSync(dir).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
      expect(present.sort()).toEqual([...files].sort());
    }
    expect(kustomizationIn(REDIS).kind).toBe('Component');
  });

  it('run the gateway and its Redis without root, privilege escalation, capabilities or a writable root file system', () => {
    const redis = deployment.parse(only(objectsIn(REDIS), 'Deployment'));
    for (const spec of [pod, redis.spec.template.spec]) {
      expect(() => container.parse(spec.containers[0])).not.toThrow();
    }
  });

  it('set only variables the service reads, and the service accepts their values', () => {
    for (const name of Object.keys(containerEnv())) expect([name, CONFIG_VARIABLES.has(name)]).toEqual([name, true]);
    expect(() => serviceConfig()).not.toThrow();
  });

  it('probe the admin port on the paths the service serves there, and expose only the public port', () => {
    const config = serviceConfig();
    expect(port('http')).toBe(config.http.port);
    expect(port('admin')).toBe(config.admin.port);
    expect(config.admin.sharesPublicListener).toBe(false);
    expect(main.readinessProbe.httpGet).toEqual({ path: PROBES.ready, port: 'admin' });
    expect(main.livenessProbe.httpGet).toEqual({ path: PROBES.live, port: 'admin' });
    expect(main.startupProbe.httpGet).toEqual({ path: PROBES.live, port: 'admin' });
    const annotations = gateway.spec.template.metadata.annotations;
    expect([annotations['prometheus.io/port'], annotations['prometheus.io/path']]).toEqual([String(config.admin.port), PROBES.metrics]);
    const exposed = service.parse(only(base, 'Service')).spec.ports.map((entry) => entry.targetPort);
    expect(exposed).toEqual(['http']);
  });

  it('give shutdown and start-up the time the service takes', () => {
    const config = serviceConfig();
    const preStop = main.lifecycle.preStop.sleep.seconds;
    // After the preStop pause, SIGTERM: SHUTDOWN_DELAY_MS of answering with readiness 503, then the drain of up to
    // SHUTDOWN_GRACE_MS, then the process lets go of Authlete and flushes its logs and spans.
    const { shutdownDelayMs, shutdownGraceMs } = config.http;
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(preStop + (shutdownDelayMs + shutdownGraceMs) / 1000 + 5);
    // The start-up credential check runs before the listeners open and may take one Authlete timeout.
    const { periodSeconds, failureThreshold } = main.startupProbe;
    expect(periodSeconds * failureThreshold).toBeGreaterThanOrEqual(config.authleteCalls.timeoutMs / 1000 + 5);
  });

  it('request at least the memory the bench measured at peak, and limit above it', () => {
    const { requests, limits } = main.resources;
    expect(mebibytes(requests.memory)).toBeGreaterThanOrEqual(PEAK_RSS_MIB);
    expect(mebibytes(limits.memory)).toBeGreaterThan(mebibytes(requests.memory));
  });

  it('keep a pod through voluntary disruptions, and scale the Deployment they describe', () => {
    const labels = gateway.spec.template.metadata.labels;
    const budget = z.object({ spec: z.object({ minAvailable: z.number(), selector: z.object({ matchLabels: z.record(z.string(), z.string()) }) }) }).parse(only(base, 'PodDisruptionBudget'));
    const scaler = z
      .object({ spec: z.object({ minReplicas: z.number(), scaleTargetRef: z.object({ kind: z.string(), name: z.string() }) }) })
      .parse(only(base, 'HorizontalPodAutoscaler'));
    expect(labels).toMatchObject(budget.spec.selector.matchLabels);
    expect(labels).toMatchObject(gateway.spec.selector.matchLabels);
    expect(scaler.spec.scaleTargetRef).toEqual({ kind: 'Deployment', name: gateway.metadata.name });
    // A budget that needed every replica would block node drains.
    expect(budget.spec.minAvailable).toBeLessThan(scaler.spec.minReplicas);
  });

  it('take the Authlete token from a Secret, as a file, never as a plain variable', () => {
    const env = containerEnv();
    expect(env['AUTHLETE_SERVICE_ACCESS_TOKEN']).toBeUndefined();
    const file = env['AUTHLETE_SERVICE_ACCESS_TOKEN_FILE'] ?? '';
    const mounts = z.object({ volumeMounts: z.array(z.object({ name: z.string(), mountPath: z.string(), readOnly: z.boolean().optional() })) }).parse(pod.containers[0]);
    const mount = mounts.volumeMounts.find((candidate) => file.startsWith(`${candidate.mountPath}/`));
    expect(mount?.readOnly).toBe(true);
    const volumes = z.object({ volumes: z.array(z.object({ name: z.string(), secret: z.object({ secretName: z.string() }).optional() })) }).parse(pod);
    expect(volumes.volumes.find((volume) => volume.name === mount?.name)?.secret?.secretName).toBe('dcr-gateway-authlete');
  });

  it('point the gateway at the optional Redis through a variable the service reads', () => {
    const patch = configMap.parse(documents(join(REDIS, 'configmap-patch.yaml'))[0]);
    expect(patch.metadata.name).toBe(settings.metadata.name);
    for (const name of Object.keys(patch.data)) expect([name, CONFIG_VARIABLES.has(name)]).toEqual([name, true]);
    const redis = service.parse(only(objectsIn(REDIS), 'Service'));
    expect(patch.data['RATE_LIMIT_REDIS_URL']).toBe(`redis://dcr-gateway-redis:${redis.spec.ports[0]?.port}`);
  });
});
