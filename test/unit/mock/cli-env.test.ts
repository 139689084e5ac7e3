import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCliEnv } from '../../../mock/stateful/cli-env';

describe('readCliEnv: the stand-alone mock settings', () => {
  it('has defaults for everything', () => {
    expect(readCliEnv({})).toEqual({
      ok: true,
      settings: {
        host: '127.0.0.1',
        port: 4011,
        managementBaseUrl: 'http://localhost:8080/register',
        unauthorizedOnClientConfigSupported: true,
        limits: {},
      },
    });
  });

  it('reads every variable, and counts an empty one as unset', () => {
    const read = readCliEnv({
      MOCK_HOST: '0.0.0.0',
      MOCK_PORT: '0',
      MOCK_MANAGEMENT_BASE_URL: 'https://as.example.com/dcr/register',
      MOCK_UNAUTHORIZED_ON_CLIENT_CONFIG: 'false',
      MOCK_SERVICE_ACCESS_TOKEN: 'sat',
      MOCK_SERVICE_ID: '',
      MOCK_MAX_CLIENTS: '20',
      MOCK_MAX_METADATA_BYTES: '4096',
    });
    expect(read).toEqual({
      ok: true,
      settings: {
        host: '0.0.0.0',
        port: 0,
        managementBaseUrl: 'https://as.example.com/dcr/register',
        unauthorizedOnClientConfigSupported: false,
        limits: { maxClients: 20, maxMetadataBytes: 4096 },
        serviceAccessToken: 'sat',
      },
    });
  });

  it.each([
    ['MOCK_PORT', '65536'],
    ['MOCK_PORT', '80a'],
    ['MOCK_PORT', '-1'],
    ['MOCK_MAX_CLIENTS', 'many'],
    ['MOCK_MAX_METADATA_BYTES', '12x'],
    ['MOCK_UNAUTHORIZED_ON_CLIENT_CONFIG', 'yes'],
    ['MOCK_MANAGEMENT_BASE_URL', 'as.example.com/register'],
    ['MOCK_MANAGEMENT_BASE_URL', 'https://as.example.com/register?tenant=1'],
    ['MOCK_MANAGEMENT_BASE_URL', 'ftp://as.example.com/register'],
    ['MOCK_HOST', '127.0.0.1:4011'],
    ['MOCK_HOST', 'mock_host'],
  ])('refuses %s=%s, naming the variable and not the value', (name, value) => {
    const read = readCliEnv({ [name]: value });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problems).toHaveLength(1);
    expect(read.problems[0]).toMatch(new RegExp(`^${name} `));
    expect(read.problems[0]).not.toContain(value);
  });

  it('reads the service access token from MOCK_SERVICE_ACCESS_TOKEN_FILE, like the gateway reads its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mock-cli-env-'));
    try {
      const path = join(dir, 'token');
      writeFileSync(path, 'sat-from-file\n');
      expect(readCliEnv({ MOCK_SERVICE_ACCESS_TOKEN_FILE: path })).toMatchObject({ ok: true, settings: { serviceAccessToken: 'sat-from-file' } });
      const both = readCliEnv({ MOCK_SERVICE_ACCESS_TOKEN_FILE: path, MOCK_SERVICE_ACCESS_TOKEN: 'sat' });
      expect(both).toEqual({ ok: false, problems: [expect.stringMatching(/^MOCK_SERVICE_ACCESS_TOKEN and MOCK_SERVICE_ACCESS_TOKEN_FILE are both set/)] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
