import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { assertListPrefix, assertObjectKey, joinKey } from './object-key';

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a refusal');
}

describe('object key path guard', () => {
  it('accepts relative slash-separated names, including dots inside names and unicode', () => {
    for (const key of ['a', 'prod/nightly/shop/20261126T053000Z.dump.zst.age', 'x/.hidden', 'a/..b/c..', 'über/日本/db name.sql.gz']) {
      expect(assertObjectKey(key)).toBe(key);
    }
  });

  it('refuses every way out of the root with VALIDATION_FAILED', () => {
    const escapes = ['..', '../x', 'a/../../x', 'a/..', './a', 'a/./b', '/etc/passwd', '//server/share', 'a\\..\\..\\x', '..\\x', 'C:/Windows', 'c:x', 'a//b', 'a\0b', '', 'a/', 'x.dump.partial', 'a'.repeat(1025)];
    for (const key of escapes) {
      const error = refusal(() => assertObjectKey(key));
      expect(error, JSON.stringify(key)).toBeInstanceOf(AppError);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details).toEqual({ field: 'key' });
    }
  });

  it('list prefixes may be empty or end with a slash, but follow the same rules', () => {
    for (const prefix of ['', 'prod/', 'prod/nig', 'prod/nightly/']) expect(assertListPrefix(prefix)).toBe(prefix);
    for (const prefix of ['/', '../', 'a/../', '/abs/', 'a\\b/', 'a//']) expect(refusal(() => assertListPrefix(prefix)).code, prefix).toBe('VALIDATION_FAILED');
  });

  it('joins a root prefix and a key with exactly one slash', () => {
    expect(joinKey('', 'a/b')).toBe('a/b');
    expect(joinKey('vault', 'a/b')).toBe('vault/a/b');
    expect(joinKey('/vault/team/', 'a')).toBe('vault/team/a');
    expect(joinKey('vault/', '')).toBe('vault/');
  });
});
