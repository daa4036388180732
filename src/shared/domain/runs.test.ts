import { describe, expect, it } from 'vitest';
import { keptNothing } from './runs';

describe('keptNothing', () => {
  it('is a run that ended without storing anything, not one still running or one that stored part', () => {
    expect(keptNothing({ status: 'failed', bytesOut: 0 })).toBe(true);
    expect(keptNothing({ status: 'interrupted', bytesOut: 0 })).toBe(true);
    expect(keptNothing({ status: 'running', bytesOut: 0 })).toBe(false);
    expect(keptNothing({ status: 'succeeded', bytesOut: 0 })).toBe(false);
    // An all-databases run that stored some databases before one failed.
    expect(keptNothing({ status: 'failed', bytesOut: 1024 })).toBe(false);
  });
});
