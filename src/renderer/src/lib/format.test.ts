import { describe, expect, it } from 'vitest';
import { formatAge, formatBytes, formatDuration, formatMiB } from './format';

describe('format', () => {
  it('writes sizes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB');
    expect(formatBytes(300 * 1024 ** 2)).toBe('300 MiB');
    expect(formatBytes(-1)).toBe('—');
    expect(formatMiB(3 * 1024 * 1024 + 512 * 1024)).toBe('3.5 MiB');
  });

  it('says how long ago', () => {
    const now = new Date('2025-06-01T12:00:00Z');
    expect(formatAge('2025-06-01T11:59:40Z', now)).toBe('just now');
    expect(formatAge('2025-06-01T11:57:00Z', now)).toBe('3 min ago');
    expect(formatAge('2025-06-01T07:00:00Z', now)).toBe('5 h ago');
    expect(formatAge('2025-05-31T10:00:00Z', now)).toBe('yesterday');
    expect(formatAge('2025-05-20T12:00:00Z', now)).toBe('12 days ago');
    // A clock a little ahead of ours must not give "-1 min ago".
    expect(formatAge('2025-06-01T12:00:05Z', now)).toBe('just now');
    expect(formatAge('garbage', now)).toBe('at an unknown time');
  });

  it('writes durations', () => {
    expect(formatDuration(950)).toBe('0.9 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(75_000)).toBe('1 min 15 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(7_260_000)).toBe('2 h 1 min');
  });
});
