import { describe, expect, it } from 'vitest';
import type { BackupManifest } from './manifest';
import { readManifestText } from './manifest-schema';

const manifest: BackupManifest = {
  formatVersion: 1,
  app: { name: 'vaultdesk', version: '0.1.0' },
  runId: '5f0c2a9e-8d1b-4c3a-9e7f-2b6d4a1c0e93',
  createdAt: '2026-11-26T03:00:07.123Z',
  job: { id: '11111111-1111-4111-8111-111111111111', name: 'shop-nightly' },
  source: { name: 'shop', engine: 'postgres', serverVersion: '17.2', database: 'shop', kind: 'database' },
  dump: { format: 'custom', tool: 'pg_dump', bytes: 1234 },
  compression: { algorithm: 'zstd', level: null },
  encryption: { kind: 'age', recipients: [{ recipient: 'age1xyz', fingerprint: '0123456789abcdef' }] },
  object: { key: 'prod/shop/shop-nightly/20261126T030000Z.dump.zst.age', size: 456, sha256: 'ab'.repeat(32) },
};
const problem = (value: unknown): string => {
  const r = readManifestText(typeof value === 'string' ? value : JSON.stringify(value));
  if (r.ok) throw new Error('expected a problem');
  return r.problem;
};

describe('reading a manifest from storage', () => {
  it('takes what the pipeline writes, and ignores fields a later version may add', () => {
    expect(readManifestText(JSON.stringify(manifest, null, 2))).toEqual({ ok: true, manifest });
    expect(readManifestText(JSON.stringify({ ...manifest, restoreHints: { x: 1 } }))).toEqual({ ok: true, manifest });
    expect(readManifestText(JSON.stringify({ ...manifest, encryption: { kind: '7z', headersEncrypted: true } })).ok).toBe(true);
  });

  it('says what is wrong in words, field by field, without throwing', () => {
    expect(problem('{"formatVersion": 1,')).toBe('its manifest is damaged: it is not valid JSON');
    expect(problem([manifest])).toBe('its manifest is not a Vaultdesk manifest (not a JSON object)');
    expect(problem({ ...manifest, formatVersion: 3 })).toBe('its manifest has format version 3, written by a newer Vaultdesk; this one reads version 1: update Vaultdesk to use it');
    expect(problem({ ...manifest, formatVersion: 0 })).toBe('its manifest has format version 0, which no Vaultdesk wrote');
    expect(problem({ ...manifest, object: { ...manifest.object, sha256: 'not-hex' } })).toBe('its manifest is not a valid Vaultdesk manifest (object.sha256: not in the expected form)');
    expect(problem({ ...manifest, object: { ...manifest.object, size: -1 } })).toBe('its manifest is not a valid Vaultdesk manifest (object.size: too short or negative)');
    expect(problem({ ...manifest, source: { ...manifest.source, engine: 'oracle' } })).toBe('its manifest is not a valid Vaultdesk manifest (source.engine: must be "postgres" or "mysql" or "sqlite")');
    expect(problem({ ...manifest, createdAt: 'yesterday' })).toBe('its manifest is not a valid Vaultdesk manifest (createdAt: not a valid datetime)');
    expect(problem({ ...manifest, job: { id: 'x', name: 'n'.repeat(10_000) } })).toBe('its manifest is not a valid Vaultdesk manifest (job.name: too long)');
    expect(problem({ ...manifest, app: { name: 'other-tool', version: '1' } })).toBe('its manifest is not a valid Vaultdesk manifest (app.name: must be "vaultdesk")');
  });
});
