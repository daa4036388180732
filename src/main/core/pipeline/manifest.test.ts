import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFIX, manifestKey, objectName, timestampName } from './manifest';

const base = { prefix: DEFAULT_PREFIX, environment: 'production', database: 'shop', job: 'nightly', source: 'pg', time: new Date('2026-11-26T05:30:07.123Z'), extension: 'dump', compression: 'zstd' as const, encrypted: 'age' as const };

describe('object names', () => {
  it('follow {environment}/{database}/{job}/{timestamp}.{dump}.{zst}.age by default', () => {
    expect(objectName(base)).toBe('production/shop/nightly/20261126T053007Z.dump.zst.age');
    expect(manifestKey(objectName(base))).toBe('production/shop/nightly/20261126T053007Z.dump.zst.age.manifest.json');
    expect(timestampName(new Date('2026-01-02T03:04:05Z'))).toBe('20260102T030405Z');
  });

  it('name the format, compression and encryption in the extension', () => {
    expect(objectName({ ...base, extension: 'sql', compression: 'gzip', encrypted: 'none' })).toMatch(/\.sql\.gz$/);
    expect(objectName({ ...base, compression: 'none', encrypted: 'none' })).toMatch(/\d{6}Z\.dump$/);
    expect(objectName({ ...base, encrypted: '7z' })).toMatch(/\.dump\.7z$/);
  });

  it('keep user-typed names inside their path segment', () => {
    expect(objectName({ ...base, database: '../../etc', environment: 'a/b', prefix: 'x/{environment}/../{database}/' })).toBe('x/a_b/etc/nightly/20261126T053007Z.dump.zst.age');
    expect(objectName({ ...base, database: 'café ☕ "db"' })).toBe('production/café_db_/nightly/20261126T053007Z.dump.zst.age');
    expect(objectName({ ...base, prefix: '' })).toBe('nightly/20261126T053007Z.dump.zst.age');
    expect(objectName({ ...base, sequence: 2 })).toBe('production/shop/nightly/20261126T053007Z-2.dump.zst.age');
  });
});
