import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { startGatewayProcess, type GatewayProcess } from './gateway-process.mts';
import { freePort } from './loopback.mts';
import { GATEWAY_SPEC } from './paths.mts';
import { startPrismProxy, type RunningPrismProxy } from './prism-launcher';

const member = z.record(z.string(), z.unknown());
const document = z.looseObject({ paths: z.record(z.string(), member) });

let specForProxy: string | undefined;

/**
 * openapi/dcr-gateway.yaml without its security requirements. Prism checks security before it forwards and
 * cannot be told not to: a request without a token would get Prism's own 401 and never reach the service,
 * whose 401 is exactly what the tests want checked. Everything the description says of answers is kept.
 */
export function gatewaySpecForProxy(): string {
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
  const file = join(mkdtempSync(join(tmpdir(), 'dcr-gateway-contract-')), 'dcr-gateway.yaml');
  writeFileSync(file, stringify({ ...spec, paths }));
  specForProxy = file;
  return file;
}

export interface GatewayBehindContract extends GatewayProcess {
  /** The service itself, for what a proxy would hide (sockets, connection handling). */
  readonly directUrl: string;
  /** Prism's reports of answers that broke openapi/dcr-gateway.yaml since the last call; a test expects none. */
  violations(): readonly string[];
}

/**
 * The built gateway as a process with Prism in front of it as a validating proxy (`--errors`) for
 * openapi/dcr-gateway.yaml: any answer that breaks the description becomes a 500 and a reported violation.
 * Requests are not validated, so a test can still send the service what a careless client would. The embedded
 * mock issues `registration_client_uri` on the proxy, so a client following it stays inside the contract.
 */
/** Prism's options for checking the service: its answers, not the requests a test sends on purpose. */
export const CONTRACT_PROXY_ARGS = ['--cors=false', '--validate-request=false'];

export async function startGatewayBehindContract(env: Record<string, string>): Promise<GatewayBehindContract> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const gateway = await startGatewayProcess({ MOCK_MANAGEMENT_BASE_URL: `${url}/register`, ...env });
  let prism: RunningPrismProxy;
  try {
    prism = await startPrismProxy(gateway.url, { spec: gatewaySpecForProxy(), port, args: CONTRACT_PROXY_ARGS });
  } catch (error) {
    await gateway.stop();
    throw error;
  }
  return {
    ...gateway,
    url,
    directUrl: gateway.url,
    violations: () => prism.violations(),
    stop: async () => {
      await prism.stop();
      return gateway.stop();
    },
  };
}
