import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const AUTHLETE_SPEC = resolve(ROOT, 'openapi', 'authlete.yaml');
export const AUTHLETE_V2_SPEC = resolve(ROOT, 'openapi', 'authlete-v2.yaml');
export const GATEWAY_SPEC = resolve(ROOT, 'openapi', 'dcr-gateway.yaml');
export const PRISM_CLI = resolve(ROOT, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');
export const BUILT_MAIN = resolve(ROOT, 'dist', 'src', 'main.js');
export const BUILT_CHECK = resolve(ROOT, 'dist', 'conformance', 'cli.js');
