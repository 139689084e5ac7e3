import { satisfies } from 'semver';

/**
 * Why this Node.js cannot run the gateway, in one line, or undefined when it can. The range is the one npm checks
 * at install (package.json `engines`, with engine-strict), read by the same rules.
 */
export function nodeVersionProblem(running: string, needed: string): string | undefined {
  if (satisfies(running, needed)) return undefined;
  return `needs Node.js ${needed} (Node 24), but this is Node.js ${running}: install Node 24 (\`nvm install\` reads .nvmrc) and start again`;
}
