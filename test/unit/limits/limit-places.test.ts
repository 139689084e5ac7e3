import { RateLimiterMemory } from 'rate-limiter-flexible';
import { FlexibleLimit } from '../../../src/adapters/limits/flexible-limit';
import type { Held, Waiting } from '../../../src/ports/limit';

function limitOf(count: number): FlexibleLimit {
  return new FlexibleLimit('auth_failures_per_ip', { count, windowSeconds: 60 }, new RateLimiterMemory({ points: count, duration: 60 }));
}

function held(place: Held | Waiting): Held {
  if (place.kind !== 'held') throw new Error(`expected a place at once, got ${place.kind}`);
  return place;
}

function waiting(place: Held | Waiting): Waiting {
  if (place.kind !== 'waiting') throw new Error(`expected to wait, got ${place.kind}`);
  return place;
}

describe('the places of a key in flight (LIMIT_AUTH_FAILURES_PER_IP)', () => {
  it('gives as many places at once as the count, then hands each one released to the first in line', async () => {
    const limit = limitOf(2);
    const [a, b] = [held(limit.hold('k')), held(limit.hold('k'))];
    const [c, d] = [waiting(limit.hold('k')), waiting(limit.hold('k'))];
    expect(held(limit.hold('other')).kind).toBe('held');

    a.release();
    a.release(); // a second release of the same place frees nothing more
    const toC = await c.place;
    expect(toC?.kind).toBe('held');
    expect(waiting(limit.hold('k')).kind).toBe('waiting');

    b.release();
    expect((await d.place)?.kind).toBe('held');
  });

  it('drops a cancelled wait from the line: the next place goes to the one behind it', async () => {
    const limit = limitOf(1);
    const first = held(limit.hold('k'));
    const quitter = waiting(limit.hold('k'));
    const behind = waiting(limit.hold('k'));

    quitter.cancel();
    expect(await quitter.place).toBeUndefined();
    first.release();
    const place = await behind.place;
    expect(place?.kind).toBe('held');

    place?.release();
    // Everything given back: the key holds nothing, and a new attempt has its place at once.
    expect(limit.hold('k').kind).toBe('held');
  });
});
