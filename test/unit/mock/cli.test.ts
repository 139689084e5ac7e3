import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { transformFileSync } from '@swc/core';
import { freePort } from '../../support/loopback.mts';
import { ROOT } from '../../support/paths.mts';
import { startProcess } from '../../support/running-process.mts';

// The CLI and what it imports from the gateway's sources (the shared setting rules and what they use).
const SOURCES = [join('mock', 'stateful'), join('src', 'config'), join('src', 'domain')];

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI as its own process, compiled with swc into a scratch folder (the build writes dist/, not the tests). */
describe('mock/stateful/cli: the stand-alone mock', () => {
  let outDir: string;
  let cli: string;

  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'stateful-mock-cli-'));
    for (const folder of SOURCES) {
      mkdirSync(join(outDir, folder), { recursive: true });
      for (const file of readdirSync(resolve(ROOT, folder)).filter((name) => name.endsWith('.ts'))) {
        const { code } = transformFileSync(resolve(ROOT, folder, file), {
          jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
          module: { type: 'commonjs' },
        });
        writeFileSync(join(outDir, folder, file.replace(/\.ts$/, '.js')), code);
      }
    }
    cli = join(outDir, 'mock', 'stateful', 'cli.js');
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  /** Runs the CLI; once it prints its URL, `whenListening` acts on it and the CLI is sent SIGTERM. */
  async function run(env: Record<string, string>, whenListening?: (url: string) => Promise<void>): Promise<Exit> {
    // NODE_PATH lets the scratch copy find zod; nothing of the parent's MOCK_* settings leaks in.
    const mock = startProcess(process.execPath, [cli], { env: { NODE_PATH: resolve(ROOT, 'node_modules'), ...env } });
    try {
      if (whenListening !== undefined) {
        const [url] = await mock.waitForOutput(/http:\/\/\S+/, 10_000);
        await whenListening(url);
        await mock.stop();
      }
      return { code: await mock.exited, stdout: mock.stdout(), stderr: mock.stderr() };
    } finally {
      await mock.stop();
    }
  }

  it('prints one line with its URL, answers calls with the configured settings, and stops on SIGTERM', async () => {
    const port = await freePort();
    let answered: unknown;
    const exit = await run(
      { MOCK_PORT: String(port), MOCK_SERVICE_ACCESS_TOKEN: 'cli-token', MOCK_SERVICE_ID: 'cli-svc', MOCK_MANAGEMENT_BASE_URL: 'https://as.example.com/r' },
      async (url) => {
        const response = await fetch(`${url}/api/cli-svc/client/registration`, {
          method: 'POST',
          headers: { Authorization: 'Bearer cli-token', 'Content-Type': 'application/json' },
          body: JSON.stringify({ json: '{"redirect_uris":["https://c.example/cb"]}' }),
          signal: AbortSignal.timeout(5_000),
        });
        answered = await response.json();
      },
    );
    expect(exit.code).toBe(0);
    expect(exit.stdout.trim().split('\n')).toEqual([`stateful-mock: Authlete client registration API listening at http://127.0.0.1:${port}`]);
    expect(exit.stderr).toBe('');
    expect(answered).toMatchObject({ action: 'CREATED', responseContent: expect.stringContaining('"registration_client_uri":"https://as.example.com/r/') });
  });

  it('refuses bad settings with one line on stderr and exit code 1, quoting no value', async () => {
    const exit = await run({ MOCK_PORT: 'eighty', MOCK_UNAUTHORIZED_ON_CLIENT_CONFIG: 'maybe', MOCK_SERVICE_ACCESS_TOKEN: 'do-not-print' });
    expect(exit.code).toBe(1);
    expect(exit.stdout).toBe('');
    expect(exit.stderr.trim().split('\n')).toHaveLength(1);
    expect(exit.stderr).toContain('MOCK_PORT');
    expect(exit.stderr).toContain('MOCK_UNAUTHORIZED_ON_CLIENT_CONFIG');
    expect(exit.stderr).not.toMatch(/eighty|maybe|do-not-print/);
  });

  it('exits with 1 and one line when the port is taken', async () => {
    const port = await freePort();
    let second: Exit | undefined;
    const first = await run({ MOCK_PORT: String(port) }, async () => {
      second = await run({ MOCK_PORT: String(port) });
    });
    expect(first.code).toBe(0);
    expect(second?.code).toBe(1);
    expect(second?.stderr.trim().split('\n')).toEqual([expect.stringContaining('stateful-mock: failed to start')]);
  });
});
