import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { startGatewayProcess, type GatewayProcess } from './gateway-process.mts';
import { GATEWAY_SPEC, ROOT } from './paths.mts';
import { startPrismProxy, type RunningPrism } from './prism-launcher';
import { startTamperingProxy } from './tampering-proxy';

const member = z.record(z.string(), z.unknown());
const document = z.looseObject({ paths: z.record(z.string(), member) });

let specForProxy: string | undefined;

/**
 * openapi/dcr-gateway.yaml without its security requirements. Prism checks security before it forwards and
 * cannot be told not to: a request without a token would get Prism's own 401 and never reach the service,
 * whose 401 is exactly what the tests want checked. Everything the description says of answers is kept.
 */
function gatewaySpecForProxy(): string {
  if (specForProxy !== undefined) return specForProxy;
  const spec = document.parse(parse(readFileSync(GATEWAY_SPEC, 'utf8')));
  const withoutSecurity = (entry: unknown): unknown => {
    // Operations are objects; the path's own `parameters` and `servers` are arrays, and carry no security.
    const operation = member.safeParse(entry);
    if (!operation.success) return entry;
    const { security: _dropped, ...rest } = operation.data;
    return rest;
  };
  const paths = Object.fromEntries(
    Object.entries(spec.paths).map(([path, item]) => [path, Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, withoutSecurity(entry)]))]),
  );
  // Named for its content, in node_modules' cache: every test file and every run share one copy (a directory
  // per run filled /tmp), and a changed description gets a new one. Written whole, then renamed, because test
  // files in parallel workers may write it at once.
  const text = stringify({ ...spec, paths });
  const dir = join(ROOT, 'node_modules', '.cache', 'dcr-gateway');
  const file = join(dir, `dcr-gateway-without-security-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.yaml`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, text);
    renameSync(partial, file);
  }
  specForProxy = file;
  return file;
}

/** Prism's options for checking the service: its answers, not the requests a test sends on purpose. */
const CONTRACT_PROXY_ARGS = ['--cors=false', '--validate-request=false'];

export interface ContractProxy {
  readonly url: string;
  /** The answers Prism found breaking openapi/dcr-gateway.yaml since the last call, with its findings; a test expects none. */
  violations(): readonly string[];
  stop(): Promise<void>;
}

/**
 * Prism validating answers against openapi/dcr-gateway.yaml (`--errors`: a breach becomes a 500), with a recorder
 * in front of it that notes each answer Prism marked with `sl-violations`. The recorder has the note before the
 * client has the answer, so a test that has its answer knows its violations. `upstream` is started once the
 * proxy's own URL is known (it is given that URL), so what it hands out can point at the proxy.
 */
export async function startContractProxy<T extends { readonly url: string; stop(): Promise<unknown> }>(
  upstream: (proxyUrl: string) => Promise<T>,
): Promise<ContractProxy & { readonly upstream: T }> {
  // Prism picks its port as it starts, after the upstream: a port reserved before that could be taken meanwhile
  // (by a gateway another test starts), and Prism would fail with EADDRINUSE.
  let prismUrl = 'http://127.0.0.1:9';
  const violations: string[] = [];
  const recorder = await startTamperingProxy(() => prismUrl, {
    answerHeaders: (req, headers) => {
      const found = headers['sl-violations'];
      if (found !== undefined) violations.push(`${req.method ?? ''} ${req.url ?? ''}: ${String(found)}`);
      return headers;
    },
  });
  const started = await upstream(recorder.url);
  let prism: RunningPrism;
  try {
    prism = await startPrismProxy(started.url, { spec: gatewaySpecForProxy(), args: CONTRACT_PROXY_ARGS });
    prismUrl = prism.url;
  } catch (error) {
    await started.stop();
    await recorder.close();
    throw error;
  }
  return {
    url: recorder.url,
    upstream: started,
    violations: () => violations.splice(0),
    stop: async () => {
      await recorder.close();
      await prism.stop();
    },
  };
}

export interface GatewayBehindContract extends GatewayProcess {
  /** The service itself, for what a proxy would hide (sockets, connection handling). */
  readonly directUrl: string;
  /** The answers that broke openapi/dcr-gateway.yaml since the last call; a test expects none. */
  violations(): readonly string[];
}

/**
 * The built gateway as a process behind the contract proxy. Requests are not validated, so a test can still send
 * the service what a careless client would. The embedded mock issues `registration_client_uri` on the proxy, so a
 * client following it stays inside the contract.
 */
export async function startGatewayBehindContract(env: Record<string, string>): Promise<GatewayBehindContract> {
  const contract = await startContractProxy((proxyUrl) => startGatewayProcess({ MOCK_MANAGEMENT_BASE_URL: `${proxyUrl}/register`, ...env }));
  const gateway = contract.upstream;
  return {
    ...gateway,
    url: contract.url,
    directUrl: gateway.url,
    violations: contract.violations,
    stop: async () => {
      await contract.stop();
      return gateway.stop();
    },
  };
}
