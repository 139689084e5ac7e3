import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const AUTHLETE_SPEC = resolve(ROOT, 'openapi', 'authlete.yaml');
export const PRISM_CLI = resolve(ROOT, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');
export const BUILT_MAIN = resolve(ROOT, 'dist', 'src', 'main.js');
