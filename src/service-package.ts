import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

// What the service says about itself in package.json: the version it reports and the Node.js versions it runs on.
const servicePackage = z.object({ version: z.string(), engines: z.object({ node: z.string() }) });

export type ServicePackage = z.infer<typeof servicePackage>;

/** The package.json nearest above this file: the same one in the source tree, the build and the container image. */
function packageJsonPath(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}: it belongs next to dist/`);
  }
}

export function readServicePackage(): ServicePackage {
  return servicePackage.parse(JSON.parse(readFileSync(packageJsonPath(), 'utf8')));
}
