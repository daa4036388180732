import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../core/testing/cli-runner';
import { tempDir } from '../core/testing/temp-dir';

const t = tempDir('vaultdesk-words-');
afterAll(() => t.cleanup());
const dataDir = path.join(t.dir, 'data');
const keyFile = path.join(t.dir, 'master.key');

const vaultdesk = cliRunner(t.dir, { dataDir, keyFile });

beforeAll(() => {
  const r = vaultdesk(['quickstart', '--backup-dir', path.join(t.dir, 'backups')]);
  if (r.code !== 0) throw new Error(`quickstart failed: ${r.stderr}`);
  mkdirSync(path.join(t.dir, 'a-folder'));
  writeFileSync(path.join(t.dir, 'x.sqlite.zst.age'), 'not an age file');
  writeFileSync(path.join(t.dir, 'x.sqlite.zst.age.manifest.json'), '{"object": ');
}, 180_000);

describe('the CLI says what went wrong in words, with a code', { timeout: 240_000 }, () => {
  const folder = (): string => path.join(t.dir, 'a-folder');
  const nope = (): string => path.join(t.dir, 'nope');
  const identity = (): string => path.join(dataDir, 'quickstart-identity.txt');
  let backup: { id: string; key: string } | undefined;
  /** The backup quickstart made. */
  const firstBackup = (): { id: string; key: string } => (backup ??= (JSON.parse(vaultdesk(['backup', 'list', '--json']).stdout) as { id: string; key: string }[])[0]!);

  // Each: the arguments, and the exact error line a person reads.
  const cases: [string, () => string[], () => string][] = [
    ['an identity file that does not exist', () => ['profile', 'create', '--name', 'imported', '--identity-file', nope()], () => `[VALIDATION_FAILED]: Cannot read the identity file ${nope()}: ${nope()} does not exist.`],
    ['an identity file that is a folder', () => ['profile', 'create', '--name', 'imported', '--identity-file', folder()], () => `[VALIDATION_FAILED]: Cannot read the identity file ${folder()}: ${folder()} is a folder where a file should be.`],
    ['an SSH key file that does not exist', () => ['source', 'add', 'postgres', '--name', 'pg', '--host', 'db', '--user', 'u', '--database', 'd', '--ssh-host', 'bastion', '--ssh-user', 'u', '--ssh-key-file', nope()], () => `[VALIDATION_FAILED]: Cannot read the SSH key file ${nope()}: ${nope()} does not exist.`],
    ['an SFTP key file that does not exist', () => ['destination', 'add', 'sftp', '--name', 'vault', '--host', 'h', '--user', 'u', '--path', '/srv', '--key-file', nope()], () => `[VALIDATION_FAILED]: Cannot read the key file ${nope()}: ${nope()} does not exist.`],
    ['a decrypt identity that does not exist', () => ['decrypt', path.join(t.dir, 'x.sqlite.zst.age'), '-i', nope(), '-o', path.join(t.dir, 'out')], () => `[VALIDATION_FAILED]: Cannot read the identity file or kit ${nope()}: ${nope()} does not exist.`],
    [
      'a damaged manifest beside the backup',
      () => ['decrypt', path.join(t.dir, 'x.sqlite.zst.age'), '-i', identity(), '-o', path.join(t.dir, 'out')],
      () => `[INTEGRITY_FAILED]: The manifest beside the backup, ${path.join(t.dir, 'x.sqlite.zst.age.manifest.json')}, is damaged (it is not a Vaultdesk manifest), so the backup's checksum cannot be checked. Move it away to decrypt without that check.`,
    ],
    ['a master key exported under /proc', () => ['key', 'export', '--out', '/proc/nope/key.txt'], () => '[FILE_WRITE_FAILED]: Could not write /proc/nope/key.txt: folder /proc/nope cannot be created: /proc exists but does not accept new folders (a system folder such as /proc or /sys, or a mount point that is not a normal disk).'],
    ['a master key exported straight into /proc', () => ['key', 'export', '--out', '/proc/key.txt'], () => '[FILE_WRITE_FAILED]: Could not write /proc/key.txt: /proc/key.txt cannot be created: folder /proc exists but does not accept new files (a system folder such as /proc or /sys, or a mount point that is not a normal disk).'],
    [
      'a backup downloaded into /proc',
      () => ['backup', 'download', firstBackup().id, '-o', '/proc/x'],
      () => `[FILE_WRITE_FAILED]: Could not write the copy of ${firstBackup().key} to /proc/x: /proc/x cannot be created: folder /proc exists but does not accept new files (a system folder such as /proc or /sys, or a mount point that is not a normal disk).`,
    ],
    [
      'a SQLite restore into /proc',
      () => ['restore', firstBackup().id, '--database', '/proc/x.db'],
      () =>
        '[RESTORE_FAILED]: The restore failed during its restore stage: The restore into /proc/x.db failed: /proc/x.db cannot be created: folder /proc exists but does not accept new files (a system folder such as /proc or /sys, or a mount point that is not a normal disk). /proc/x.db did not exist before the restore and is not left behind.',
    ],
    ['a SQLite restore into a file under a file', () => ['restore', firstBackup().id, '--database', path.join(t.dir, 'x.sqlite.zst.age', 'x.db')], () => `[VALIDATION_FAILED]: ${path.join(t.dir, 'x.sqlite.zst.age')} is a file, not a folder: choose a file in a folder.`],
    ['a master key exported over a folder', () => ['key', 'export', '--out', folder()], () => `[FILE_WRITE_FAILED]: Could not write ${folder()}: ${folder()} is a folder where a file should be.`],
    ['an identity exported under /proc', () => ['profile', 'export-identity', 'quickstart', '-o', '/proc/nope/id.txt'], () => '[FILE_WRITE_FAILED]: Could not write /proc/nope/id.txt: folder /proc/nope cannot be created: /proc exists but does not accept new folders (a system folder such as /proc or /sys, or a mount point that is not a normal disk).'],
    ['a run id that is not one', () => ['run', 'show', '123'], () => '[NOT_FOUND]: No run with the id "123": a run id looks like 5f0c2a9e-8d1b-4c3a-9e7f-2b6d4a1c0e93 (vaultdesk run list shows them).'],
    [
      'a schedule in plain English',
      () => ['job', 'add', '--name', 'nightly', '--source', 'demo', '--destination', 'quickstart-folder', '--schedule', 'every night'],
      () =>
        '[VALIDATION_FAILED]: "every night" is not a schedule Vaultdesk understands: it has 2 parts, and a cron expression has five (six with seconds first). A schedule is a cron expression: five fields, minute hour day-of-month month day-of-week, e.g. "0 2 * * *" for every day at 02:00, "30 1 * * 1-5" for 01:30 on weekdays, "0 */6 * * *" every six hours.',
    ],
    [
      'an hour that does not exist',
      () => ['job', 'update', 'demo-backup', '--schedule', '0 25 * * *'],
      () => '[VALIDATION_FAILED]: "0 25 * * *" is not a schedule Vaultdesk understands: its hour field, "25", must be * or values from 0 to 23: one (5), a range (1-5), a list (1,15) or a step (*/10). A schedule is a cron expression: five fields, minute hour day-of-month month day-of-week, e.g. "0 2 * * *" for every day at 02:00, "30 1 * * 1-5" for 01:30 on weekdays, "0 */6 * * *" every six hours.',
    ],
    [
      'a schedule that never fires',
      () => ['job', 'update', 'demo-backup', '--schedule', '0 2 30 2 *'],
      () =>
        '[VALIDATION_FAILED]: This schedule never fires: "0 2 30 2 *" (At 02:00, on day 30 of the month, only in February) matches no date in any year, as its day-of-month and month fields name a day no such month has (30 or 31 February, 31 April, June, September or November). Check those two fields.',
    ],
    ['a zstd level past its range', () => ['job', 'update', 'demo-backup', '--level', '30'], () => '[VALIDATION_FAILED]: zstd levels go from 1 to 19, not 30.'],
    ['a level of 0', () => ['job', 'update', 'demo-backup', '--level', '0'], () => '[VALIDATION_FAILED]: zstd levels go from 1 to 19, not 0.'],
    ['a gzip level past its range', () => ['job', 'update', 'demo-backup', '--compression', 'gzip', '--level', '12'], () => '[VALIDATION_FAILED]: gzip levels go from 1 to 9, not 12.'],
    ['a port out of range', () => ['serve', '--port', '99999'], () => '[VALIDATION_FAILED]: --port must be a port number from 0 to 65535 (0 picks a free one), not 99999.'],
    ['an address that is not one', () => ['serve', '--host', '256.1.1.1'], () => '[VALIDATION_FAILED]: Cannot listen on 256.1.1.1: it is neither an IP address nor a name this machine can resolve. Use 127.0.0.1, 0.0.0.0 or one of its own addresses.'],
    ['a grace period that is not a duration', () => ['daemon', '--grace', 'soon'], () => '[VALIDATION_FAILED]: --grace takes a duration like 30s, 5m or 1h, not "soon".'],
  ];

  it.each(cases)('%s', (_what, args, expected) => {
    const r = vaultdesk(args());
    expect(r.stderr).toBe(`vaultdesk: error ${expected()}\n`);
    expect(r.code).toBe(expected().startsWith('[VALIDATION_FAILED]') ? 2 : 1);
  });

  it('a SQLite source whose folder does not exist is said so when tested', () => {
    expect(vaultdesk(['source', 'add', 'sqlite', '--name', 'gone', '--path', path.join(nope(), 'app.db')]).code).toBe(0);
    const r = vaultdesk(['source', 'test', 'gone']);
    expect(r.stderr).toBe(`vaultdesk: error [SOURCE_UNREACHABLE]: The SQLite file cannot be opened: ${path.join(nope(), 'app.db')} does not exist.\n`);
  });
});

describe('warnings on a terminal', { timeout: 240_000 }, () => {
  const wrongKey = path.join(t.dir, 'wrong.key');
  beforeAll(() => writeFileSync(wrongKey, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 }));

  it('are sentences, each once, beside the real error; no JSON lines', () => {
    const r = vaultdesk(['backup', 'run', 'demo-backup'], { key: wrongKey });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/status +failed/);
    expect(r.stdout).toContain('[MASTER_KEY_MISMATCH]');
    expect(r.stderr).toBe(
      `warning: The master key does not match this data dir: whatever needs a stored credential fails until the right key is imported; vaultdesk key status says more (state: mismatch, where: key file ${wrongKey}).\n`,
    );
  });

  it('are JSON lines with --log-format json, and debug lines too with --verbose', () => {
    const json = vaultdesk(['--log-format', 'json', 'job', 'list'], { key: wrongKey });
    expect(json.code).toBe(0);
    const lines = json.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', state: 'mismatch', where: `key file ${wrongKey}` })]);
    const verbose = vaultdesk(['--verbose', 'job', 'list'], { key: wrongKey });
    const levels = verbose.stderr.trim().split('\n').map((l) => (JSON.parse(l) as { level: string }).level);
    expect(levels).toContain('warn');
    expect(levels).toContain('info');
    const refused = vaultdesk(['--log-format', 'yaml', 'job', 'list']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("option '--log-format <format>' argument 'yaml' is invalid. Allowed choices are text, json.");
  });

  it('help text has no literal backticks', () => {
    for (const args of [['--help'], ['source', '--help'], ['destination', '--help'], ['key', '--help'], ['serve', '--help'], ['job', 'add', '--help'], ['kit', 'export', '--help'], ['decrypt', '--help']]) {
      const r = vaultdesk(args);
      expect(r.stdout).not.toContain('`');
    }
  });
});
