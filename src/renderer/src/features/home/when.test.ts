import { describe, expect, it } from 'vitest';
import { formatIn } from './when';

describe('formatIn', () => {
  const now = new Date('2026-11-30T12:00:00Z');
  it('says how far off a coming run is, in the largest unit that fits', () => {
    expect(formatIn('2026-11-30T12:00:20Z', now)).toBe('any moment now');
    // A slot that has just passed is starting: never "-1 min".
    expect(formatIn('2026-11-30T11:59:00Z', now)).toBe('any moment now');
    expect(formatIn('2026-11-30T12:05:00Z', now)).toBe('in 5 min');
    expect(formatIn('2026-11-30T15:00:00Z', now)).toBe('in 3 h');
    expect(formatIn('2026-12-01T12:00:00Z', now)).toBe('in a day');
    expect(formatIn('2026-12-07T12:00:00Z', now)).toBe('in 7 days');
    expect(formatIn('not a date', now)).toBe('at an unknown time');
  });
});
