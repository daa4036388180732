import { describe, expect, it } from 'vitest';
import { storedWords } from './run-words';

const at = (...names: string[]) => ({ destinations: names.map((name, i) => ({ destinationId: `d${i}`, name, ok: true, location: null, error: null })) });

describe('storedWords', () => {
  it('counts the backups and names each destination once', () => {
    expect(storedWords([at('local')])).toBe('Stored 1 backup on "local".');
    expect(storedWords([at('local', 'offsite'), at('local', 'offsite'), at('local', 'offsite')])).toBe('Stored 3 backups on "local" and "offsite".');
    expect(storedWords([at('a', 'b', 'c')])).toBe('Stored 1 backup on "a", "b" and "c".');
  });
});
