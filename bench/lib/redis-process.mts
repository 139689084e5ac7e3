import { spawn } from 'node:child_process';
import { onCores, stopChild } from './pinned-process.mts';
import { freePort } from './service-process.mts';

export interface RedisProcess {
  readonly url: string;
  stop(): Promise<void>;
}

/** redis-server from PATH on a free loopback port, without persistence, on the given cores. */
export async function startRedisServer(cpus: string | undefined): Promise<RedisProcess> {
  const port = await freePort();
  const [command, argv] = onCores(cpus, 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.once('error', () => reject(new Error('redis-server could not be started (Debian: apt-get install redis-server)')));
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${seen}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (seen.includes('Ready to accept connections')) {
        child.removeAllListeners('exit');
        resolve();
      }
    });
  });
  child.stdout?.resume();
  return { url: `redis://127.0.0.1:${port}`, stop: () => stopChild(child) };
}
