import { afterEach, describe, expect, it } from 'vitest';
import { localMinuteWords } from './time-words';

describe('localMinuteWords', () => {
  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it("shows an instant on this machine's clock, to the minute, with its offset", () => {
    process.env.TZ = 'Europe/Berlin';
    expect(localMinuteWords('2026-12-31T23:00:00.000Z')).toBe('2027-01-01 00:00 (UTC+01:00)');
    expect(localMinuteWords('2026-07-01T10:05:59Z')).toBe('2026-07-01 12:05 (UTC+02:00)');
    process.env.TZ = 'America/St_Johns';
    expect(localMinuteWords('2026-12-03T16:40:00Z')).toBe('2026-12-03 13:10 (UTC-03:30)');
    process.env.TZ = 'UTC';
    expect(localMinuteWords('2026-12-03T16:40:00Z')).toBe('2026-12-03 16:40 (UTC)');
  });

  it('gives back what is not an instant as it is', () => {
    expect(localMinuteWords('soon')).toBe('soon');
  });
});
