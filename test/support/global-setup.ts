import { startPrism, type RunningPrism } from './prism-launcher';

declare global {
  var __PRISM__: RunningPrism | undefined;
}

export default async function globalSetup(): Promise<void> {
  const prism = await startPrism();
  globalThis.__PRISM__ = prism;
  // Test workers start after global setup and inherit this.
  process.env['PRISM_URL'] = prism.url;
  process.stdout.write(`\n[authlete mock] Prism started ${prism.how} at ${prism.url}\n`);
}
