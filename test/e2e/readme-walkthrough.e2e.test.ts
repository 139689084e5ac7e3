import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.mts';
import { ROOT } from '../support/paths.mts';

const WALKTHROUGH_HEADING = "### A client's whole life, with curl";

/** The README's curl walkthrough: the first shell block under its heading, exactly as a reader would paste it. */
function walkthroughScript(readme: string): string {
  const section = readme.slice(readme.indexOf(WALKTHROUGH_HEADING));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!readme.includes(WALKTHROUGH_HEADING) || block === undefined) throw new Error(`no shell block under "${WALKTHROUGH_HEADING}" in README.md`);
  return block;
}

/** Every key of a JSON object, a nested one's as `authlete.baseUrl`, sorted. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value)
    .flatMap(([key, inner]) => [`${prefix}${key}`, ...keyPaths(inner, `${prefix}${key}.`)])
    .sort();
}

const LISTENING_LINE = /^\{.*"msg":"dcr-gateway listening.*$/m;

function missingTools(): string[] {
  return ['bash', 'curl'].filter((tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).error !== undefined);
}

describe("the README's curl walkthrough, run as written against the built service on its embedded mock", () => {
  let gateway: GatewayProcess;
  let workDir: string;

  beforeAll(async () => {
    const missing = missingTools();
    if (missing.length > 0) throw new Error(`this test runs the README's commands and needs ${missing.join(' and ')} on PATH (Debian: apt-get install ${missing.join(' ')})`);
    gateway = await startGatewayProcess({});
    workDir = mkdtempSync(join(tmpdir(), 'readme-walkthrough-'));
  });
  afterAll(async () => {
    await gateway.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('goes through the whole life of a client, and leaves nothing behind in the directory it ran in', () => {
    const address = new URL(gateway.url).host;
    // The README speaks of localhost:8080; this gateway listens on a free port of 127.0.0.1.
    const script = walkthroughScript(readFileSync(resolve(ROOT, 'README.md'), 'utf8')).replaceAll('localhost:8080', address);
    const run = spawnSync('bash', ['--norc', '--noprofile', '-euo', 'pipefail', '-c', script], {
      cwd: workDir,
      env: { PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`, HOME: workDir },
      encoding: 'utf8',
      timeout: 60_000,
    });

    // Nothing that holds a secret (the client's credentials) is written where the reader ran the commands.
    expect(readdirSync(workDir)).toEqual([]);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const registered: unknown = JSON.parse(run.stdout.split('\n')[0] ?? '');
    expect(registered).toMatchObject({ client_id: expect.any(String), registration_access_token: expect.any(String) });
    expect(run.stdout).toContain('"redirect_uris":["https://app.example.com/cb2"]');
    // The wrong token, the delete, the read after the delete, in that order.
    expect([...run.stdout.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => match[1])).toEqual(['401', '204', '401']);
  });

  it('shows the start-up line with the fields the service logs', () => {
    const example = LISTENING_LINE.exec(readFileSync(resolve(ROOT, 'README.md'), 'utf8'))?.[0];
    const logged = LISTENING_LINE.exec(gateway.stdout())?.[0];
    expect(keyPaths(JSON.parse(example ?? '{}'))).toEqual(keyPaths(JSON.parse(logged ?? '{}')));
  });
});
