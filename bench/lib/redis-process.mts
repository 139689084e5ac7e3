import { freePort } from '../../test/support/loopback.mts';
import { startProcess } from '../../test/support/running-process.mts';

export interface RedisProcess {
  readonly url: string;
  stop(): Promise<void>;
}

/** redis-server from PATH on a free loopback port, without persistence, on the given cores. */
export async function startRedisServer(cpus: string | undefined): Promise<RedisProcess> {
  const port = await freePort();
  const redis = startProcess('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    keepChars: 8_192,
    ...(cpus !== undefined && { cpus }),
  });
  try {
    await redis.waitForOutput(/Ready to accept connections/, 10_000);
  } catch (error) {
    await redis.stop();
    throw new Error(`redis-server did not start (Debian: apt-get install redis-server): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  return { url: `redis://127.0.0.1:${port}`, stop: async () => void (await redis.stop()) };
}
