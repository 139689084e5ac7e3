import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

const DEFAULT_CHROMIUM = '/usr/bin/chromium';
export const HOW_TO_GET_CHROMIUM = 'this test needs Chromium: install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH to its executable';

/** The machine's own Chromium (never a downloaded browser build), headless, driven by playwright-core. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env['CHROMIUM_PATH'] ?? DEFAULT_CHROMIUM;
  if (!existsSync(executablePath)) throw new Error(HOW_TO_GET_CHROMIUM);
  const { chromium } = await import('playwright-core');
  // As root (CI), Chromium refuses to start with its sandbox on.
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
}
