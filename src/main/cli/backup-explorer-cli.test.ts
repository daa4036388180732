import { existsSync, readFileSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BackupDto, BackupVerifyDto } from '../../shared/domain/backups';
import type { RunDto } from '../../shared/domain/runs';
import { filesUnder, flipByte } from '../core/testing/backup-fixtures';
import { cliRunner, jsonOutput } from '../core/testing/cli-runner';
import { seedSqliteFile } from '../core/testing/db-fixtures';
import { tempDir } from '../core/testing/temp-dir';

const t = tempDir('vaultdesk-explorer-cli-');
afterAll(() => t.cleanup());

const vaultdesk = cliRunner(t.dir);

const json = jsonOutput(vaultdesk);

const folder = path.join(t.dir, 'backups');

describe('vaultdesk backup list, show, verify, download, url, pin, unpin and delete', { timeout: 240_000 }, () => {
  it('lists the stored backups as JSON and as a table, and acts on one by its id or the start of it', () => {
    seedSqliteFile(path.join(t.dir, 'app.db'), 20);
    expect(vaultdesk(['source', 'add', 'sqlite', '--name', 'app', '--path', path.join(t.dir, 'app.db')]).code).toBe(0);
    expect(vaultdesk(['destination', 'add', 'local', '--name', 'disk', '--path', folder, '--default']).code).toBe(0);
    expect(vaultdesk(['job', 'add', '--name', 'app-nightly', '--source', 'app']).code).toBe(0);
    const runs = [1, 2].map(() => json<RunDto>(['backup', 'run', 'app-nightly']));
    const keys = runs.map((r) => r.objects[0]!.key);

    const listed = json<BackupDto[]>(['backup', 'list']);
    expect(listed.map((b) => [b.key, b.job, b.database, b.destination, b.complete, b.pinned, b.location, b.size])).toEqual(
      [1, 0].map((i) => [keys[i], 'app-nightly', 'app', 'disk', true, false, path.join(folder, keys[i]!), runs[i]!.objects[0]!.size]),
    );
    for (const b of listed) expect(Object.keys(b)).toEqual(expect.arrayContaining(['id', 'job', 'database', 'destination', 'createdAt', 'size', 'location', 'pinned', 'complete']));
    const [newer, older] = listed as [BackupDto, BackupDto];
    expect(json<BackupDto[]>(['backup', 'list', '--destination', 'disk', '--job', 'app-nightly', '--database', 'app', '--limit', '1'])).toHaveLength(1);
    expect(json<BackupDto[]>(['backup', 'list', '--job', 'nope'])).toEqual([]);
    expect(json<BackupDto[]>(['backup', 'list', '--run', runs[0]!.id]).map((b) => b.key)).toEqual([keys[0]]);
    expect(vaultdesk(['backup', 'list', '--run', 'yesterday']).stderr).toContain('No run with the id "yesterday"');

    const table = vaultdesk(['backup', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID +CREATED +DESTINATION +JOB +DATABASE +SIZE +STATE +VERIFIED$/m);
    expect(table.stdout).toMatch(new RegExp(`^${newer.id} +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\dZ +disk +app-nightly +app +[\\d.]+ KiB +complete +never$`, 'm'));

    // The first characters of an id do, when no other id starts with them.
    const shown = vaultdesk(['backup', 'show', newer.id.slice(0, 8)]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^id +${newer.id}$`, 'm'));
    expect(shown.stdout).toMatch(/^status +complete$/m);
    expect(shown.stdout).toMatch(new RegExp(`^location +${path.join(folder, keys[1]!).replace(/[.]/g, '\\.')}$`, 'm'));
    expect(shown.stdout).toMatch(/^made by +Vaultdesk \d+\.\d+\.\d+, run \S+ \(manual\)$/m);
    const notAnId = vaultdesk(['backup', 'show', 'zz']);
    expect([notAnId.code, notAnId.stderr]).toEqual([1, expect.stringContaining('vaultdesk: error [NOT_FOUND]: "zz" is not a backup id: one looks like ')]);

    const verified = vaultdesk(['backup', 'verify', newer.id]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(new RegExp(`^OK: ${path.join(folder, keys[1]!).replace(/[.]/g, '\\.')}\\nRead all [\\d.]+ KiB back: the sha256 matches the manifest\\.`));

    const out = path.join(t.dir, 'copy.sqlite.zst');
    const downloaded = vaultdesk(['backup', 'download', newer.id, '-o', out]);
    expect(downloaded.code).toBe(0);
    expect(readFileSync(out).equals(readFileSync(path.join(folder, keys[1]!)))).toBe(true);
    expect(existsSync(`${out}.manifest.json`)).toBe(true);
    // -o copies/ names a folder, made when missing: the copy keeps the object's own name in it (a file named copies before).
    const intoFolder = vaultdesk(['backup', 'download', newer.id, '-o', `${t.dir}/copies/`]);
    expect(intoFolder.code, intoFolder.stderr).toBe(0);
    expect(readFileSync(path.join(t.dir, 'copies', path.basename(keys[1]!))).equals(readFileSync(path.join(folder, keys[1]!)))).toBe(true);

    const url = vaultdesk(['backup', 'url', newer.id, '--expires', '2h']);
    expect([url.code, url.stderr]).toEqual([2, `vaultdesk: error [VALIDATION_FAILED]: Destination "disk" is a local folder: download links exist for S3 destinations only. Use vaultdesk backup download ${newer.id} -o PATH instead.\n`]);
    expect(vaultdesk(['backup', 'url', newer.id, '--expires', 'soon']).stderr).toContain('--expires takes a duration with its unit, like 30m, 1h or 2d, not "soon".');
    // A bare number is not taken as seconds; S3's limit is said in words, not in the contract's field names.
    expect(vaultdesk(['backup', 'url', newer.id, '--expires', '1']).stderr).toContain('--expires takes a duration with its unit, like 30m, 1h or 2d, not "1".');
    expect(vaultdesk(['backup', 'url', newer.id, '--expires', '8d'])).toMatchObject({ code: 2, stderr: 'vaultdesk: error [VALIDATION_FAILED]: --expires goes from 1s to 7d (S3 signs a link for 7 days at most), not 8d.\n' });
    // The default is given in the words the option takes, not in seconds.
    expect(vaultdesk(['backup', 'url', '--help']).stdout).toMatch(/how long the URL works: 30m, 1h, 2d \.\.\. up to 7d\s+\(default: 1h\)/);

    // Pinned: delete refuses it and touches nothing.
    const pinned = vaultdesk(['backup', 'pin', older.id, '--until', '90d']);
    expect(pinned.code).toBe(0);
    expect(pinned.stdout).toMatch(new RegExp(`^Pinned ${path.join(folder, keys[0]!).replace(/[.]/g, '\\.')} until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\(UTC`));
    const refused = vaultdesk(['backup', 'delete', older.id, '--yes']);
    expect([refused.code, refused.stderr]).toEqual([1, `vaultdesk: error [BACKUP_PINNED]: Backup ${keys[0]} on destination "disk" is pinned, so it is kept. Unpin it first to delete it.\n`]);
    expect(existsSync(path.join(folder, keys[0]!))).toBe(true);
    expect(vaultdesk(['backup', 'unpin', older.id]).stdout).toContain('Unpinned');
    expect(vaultdesk(['backup', 'unpin', older.id]).stdout).toMatch(/ was not pinned: nothing changed\.\n$/);

    // Without a terminal to ask on, a delete needs --yes.
    const unasked = vaultdesk(['backup', 'delete', older.id]);
    expect([unasked.code, unasked.stderr]).toEqual([2, 'vaultdesk: error [VALIDATION_FAILED]: Deleting a backup asks for confirmation, and there is no terminal to ask on: add --yes.\n']);
    const deleted = vaultdesk(['backup', 'delete', older.id, '--yes']);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toMatch(/^Deleted backup .+ \(app, \d{4}-\d\d-\d\d \d\d:\d\dZ\)\.\n$/);
    expect(filesUnder(folder)).toEqual([keys[1]!, `${keys[1]}.manifest.json`]);
  });

  it('a failed verify exits 1 with the verdict; a destination that cannot be read is named on stderr, exits 1, and the others are still listed', () => {
    const [backup] = json<BackupDto[]>(['backup', 'list']) as [BackupDto];
    flipByte(path.join(folder, backup.key), 500);
    const failed = vaultdesk(['backup', 'verify', backup.id, '--json']);
    expect(failed.code).toBe(1);
    const verdict = JSON.parse(failed.stdout) as BackupVerifyDto;
    expect([verdict.ok, verdict.sha256.ok, verdict.backup.lastVerified?.ok]).toEqual([false, false, false]);
    expect(vaultdesk(['backup', 'list']).stdout).toMatch(new RegExp(`^${backup.id} .* complete +FAILED \\d{4}-`, 'm'));

    expect(vaultdesk(['destination', 'add', 'local', '--name', 'usb-disk', '--path', path.join(t.dir, 'unplugged')]).code).toBe(0);
    // Unplugged: adding it made its folder, which is gone now.
    rmdirSync(path.join(t.dir, 'unplugged'));
    const partial = vaultdesk(['backup', 'list', '--json']);
    expect(partial.code).toBe(1);
    expect((JSON.parse(partial.stdout) as BackupDto[]).map((b) => b.id)).toEqual([backup.id]);
    expect(partial.stderr).toBe(`vaultdesk: destination "usb-disk" could not be listed [DESTINATION_UNREACHABLE]: The folder ${path.join(t.dir, 'unplugged')} of destination "usb-disk" does not exist. If it is on a disk or share that is not mounted, mount it; Vaultdesk does not create it at backup time, so that backups never land on the disk underneath.\n`);
    // The first characters of an id found nowhere readable: the destination that did not answer is said, not "no such backup".
    const unknown = backup.id.startsWith('ffff') ? 'eeee' : 'ffff';
    const shown = vaultdesk(['backup', 'show', unknown]);
    expect(shown.code).toBe(1);
    expect(shown.stderr).toBe(
      `vaultdesk: error [DESTINATION_UNREACHABLE]: No backup id starts with ${unknown} on the destinations that could be listed, and destination "usb-disk" could not be listed (The folder ${path.join(t.dir, 'unplugged')} of destination "usb-disk" does not exist. If it is on a disk or share that is not mounted, mount it; Vaultdesk does not create it at backup time, so that backups never land on the disk underneath.): a backup there is not found by the first characters of its id. Give its whole id, or try again once it answers.\n`,
    );
    // One found on a destination that answered is still found.
    expect(vaultdesk(['backup', 'show', backup.id.slice(0, 8)]).code).toBe(0);
  });
});
