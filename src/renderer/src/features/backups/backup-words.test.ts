import { describe, expect, it } from 'vitest';
import { backupName, drillWords, encryptionWords, originWords, pinnedWords, pinUntilInstant, rowNames, verifiedWords } from './backup-words';

describe('backup words', () => {
  it('names each row uniquely: backups made within one second get their file name too', () => {
    const at = '2026-11-30T13:51:01Z';
    const b = (id: string, key: string, createdAt = at) => ({ id, key, createdAt, database: 'app', job: 'hourly', destination: 'nas' });
    const names = rowNames([b('1', 'hourly/app/20261130T135101Z.sqlite.zst.age'), b('2', 'hourly/app/20261130T135101Z-2.sqlite.zst.age'), b('3', 'hourly/app/x.age', '2026-11-30T12:00:00Z')]);
    expect(names.get('1')).toBe(`${backupName(b('1', ''))} (20261130T135101Z.sqlite.zst.age)`);
    expect(names.get('2')).toBe(`${backupName(b('2', ''))} (20261130T135101Z-2.sqlite.zst.age)`);
    expect(names.get('3')).toBe(backupName(b('3', 'hourly/app/x.age', '2026-11-30T12:00:00Z')));
    expect(new Set(names.values()).size).toBe(3);
  });

  it('says whether and when a backup was verified, and how it went', () => {
    expect(verifiedWords({ lastVerified: null })).toEqual({ text: 'not verified', color: 'dimmed' });
    expect(verifiedWords({ lastVerified: { at: '2026-11-30T09:00:00Z', ok: true, message: '' } }).text).toMatch(/^verified /);
    expect(verifiedWords({ lastVerified: { at: '2026-11-30T09:00:00Z', ok: false, message: '' } })).toMatchObject({ color: 'red' });
  });

  it('says a pin with or without its end', () => {
    expect(pinnedWords({ pinned: false, pinnedUntil: null })).toBeNull();
    expect(pinnedWords({ pinned: true, pinnedUntil: null })).toBe('pinned');
    expect(pinnedWords({ pinned: true, pinnedUntil: '2027-01-01T00:00:00Z' })).toMatch(/^pinned until /);
  });

  it('names the profiles an age backup opens with, else their fingerprints', () => {
    expect(encryptionWords({ encryption: null })).toBeNull();
    expect(encryptionWords({ encryption: { kind: 'none' } })).toBe('not encrypted');
    expect(encryptionWords({ encryption: { kind: 'age', recipients: [{ recipient: 'age1x', fingerprint: 'ab12', profile: 'team' }, { recipient: 'age1y', fingerprint: 'cd34', profile: null }] } })).toBe(
      'age, to team, cd34',
    );
  });

  it('pins through the whole local day a date names, and refuses a date that is not one', () => {
    const until = pinUntilInstant('2026-12-31');
    const local = new Date(until!);
    expect([local.getFullYear(), local.getMonth(), local.getDate(), local.getHours(), local.getMinutes()]).toEqual([2026, 11, 31, 23, 59]);
    expect(pinUntilInstant('')).toBeNull();
    expect(pinUntilInstant('2026-02-30')).toBeNull();
    expect(pinUntilInstant('31.12.2026')).toBeNull();
  });
});

describe('drill words', () => {
  it('says the last drill and how it went, or nothing when there was none', () => {
    expect(drillWords({ lastDrill: null })).toBeNull();
    expect(drillWords({ lastDrill: { at: '2026-11-30T09:00:00Z', ok: true, restored: true, restoreId: 'r', message: '' } })).toMatchObject({ color: 'teal', text: expect.stringMatching(/^drill ok /) as unknown });
    // Restored, with tables that changed since: what a database in use shows, not a failure.
    expect(drillWords({ lastDrill: { at: '2026-11-30T09:00:00Z', ok: false, restored: true, restoreId: 'r', message: '' } })).toMatchObject({ color: 'yellow', text: expect.stringMatching(/^drill restored .*, counts changed$/) as unknown });
    expect(drillWords({ lastDrill: { at: '2026-11-30T09:00:00Z', ok: false, restored: false, restoreId: 'r', message: '' } })).toMatchObject({ color: 'red', text: expect.stringMatching(/^drill failed /) as unknown });
  });
});

describe('originWords', () => {
  it("says the server the dump came from and what a restore creates the database with, or whichever of them the manifest has", () => {
    expect(originWords({ serverVersion: 'PostgreSQL 15.20', locale: 'encoding UTF8, locale C.UTF-8', holds: null })).toBe('PostgreSQL 15.20 · encoding UTF8, locale C.UTF-8');
    expect(originWords({ serverVersion: 'MariaDB 10.11.19', locale: null, holds: [] })).toBe('MariaDB 10.11.19');
    expect(originWords({ serverVersion: null, locale: null, holds: null })).toBeNull();
  });

  it('says what a MySQL/MariaDB dump holds beside its tables, which keeps it out of an existing database', () => {
    expect(originWords({ serverVersion: 'MariaDB 10.11.19', locale: 'character set utf8mb4, collation utf8mb4_general_ci', holds: ['1 view', '2 routines'] })).toBe(
      'MariaDB 10.11.19 · character set utf8mb4, collation utf8mb4_general_ci · with 1 view and 2 routines',
    );
  });
});
