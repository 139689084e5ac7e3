import { isoTime } from '../../../src/adapters/logging/iso-time';

describe('isoTime', () => {
  afterEach(() => jest.restoreAllMocks());

  it('writes the same text as Date#toISOString, across second, minute and day boundaries', () => {
    let now = Date.UTC(2026, 10, 26, 23, 59, 58, 990);
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    for (const step of [0, 1, 9, 1, 500, 499, 1, 1000, 61_001, 86_400_000, -5_000]) {
      now += step;
      expect(isoTime()).toBe(`,"time":"${new Date(now).toISOString()}"`);
    }
  });
});
