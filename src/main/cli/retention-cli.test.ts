import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobDto } from '../../shared/domain/dto';
import type { RetentionPreviewDto } from '../../shared/domain/retention';
import type { RunDto } from '../../shared/domain/runs';
import { cliRunner, jsonOutput } from '../core/testing/cli-runner';
import { seedSqliteFile } from '../core/testing/db-fixtures';
import { tempDir } from '../core/testing/temp-dir';

const t = tempDir('vaultdesk-retention-cli-');
afterAll(() => t.cleanup());

const vaultdesk = cliRunner(t.dir);

const json = jsonOutput(vaultdesk);

const backupsFolder = path.join(t.dir, 'backups');
const filesUnder = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
        .sort()
    : [];

describe('vaultdesk retention flags and preview', { timeout: 180_000 }, () => {
  it('job add and update set the policy: update changes only the rules given; job show says it in words', () => {
    seedSqliteFile(path.join(t.dir, 'app.db'), 20);
    expect(vaultdesk(['source', 'add', 'sqlite', '--name', 'app', '--path', path.join(t.dir, 'app.db')]).code).toBe(0);
    expect(vaultdesk(['destination', 'add', 'local', '--name', 'disk', '--path', backupsFolder, '--default']).code).toBe(0);
    const added = json<JobDto>(['job', 'add', '--name', 'app-nightly', '--source', 'app', '--keep-last', '2', '--keep-daily', '7', '--keep-min', '3']);
    expect(added.retention).toEqual({ keepLast: 2, daily: 7, weekly: null, monthly: null, yearly: null, minimum: 3 });
    const shown = vaultdesk(['job', 'show', 'app-nightly']);
    expect(shown.stdout).toMatch(/^retention +keep the last 2, 7 daily; never fewer than the newest 3; pinned backups are always kept$/m);

    expect(json<JobDto>(['job', 'update', 'app-nightly', '--keep-weekly', '4', '--keep-monthly', '12']).retention).toEqual({ keepLast: 2, daily: 7, weekly: 4, monthly: 12, yearly: null, minimum: 3 });
    expect(json<JobDto>(['job', 'update', 'app-nightly', '--keep-last', '0', '--keep-yearly', '5']).retention).toEqual({ keepLast: null, daily: 7, weekly: 4, monthly: 12, yearly: 5, minimum: 3 });
    // Other changes leave the policy alone.
    expect(json<JobDto>(['job', 'update', 'app-nightly', '--compression', 'gzip']).retention).toEqual({ keepLast: null, daily: 7, weekly: 4, monthly: 12, yearly: 5, minimum: 3 });

    expect(json<JobDto>(['job', 'update', 'app-nightly', '--no-retention']).retention).toBeNull();
    expect(vaultdesk(['job', 'show', 'app-nightly']).stdout).toMatch(/^retention +none: every backup is kept$/m);
    const both = vaultdesk(['job', 'update', 'app-nightly', '--no-retention', '--keep-last', '1']);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('vaultdesk: error [VALIDATION_FAILED]: --no-retention removes the policy: give it without --keep-* options.\n');
    const notANumber = vaultdesk(['job', 'update', 'app-nightly', '--keep-daily', 'seven']);
    expect(notANumber.code).toBe(2);
    expect(notANumber.stderr).toContain('--keep-daily must be a whole number, got "seven"');
  });

  it('retention preview lists every backup with keep or delete and why, deletes nothing; the next run applies it', () => {
    const runs = [1, 2, 3].map(() => json<RunDto>(['backup', 'run', 'app-nightly']));
    expect(runs.map((r) => [r.status, r.retention])).toEqual([
      ['succeeded', null],
      ['succeeded', null],
      ['succeeded', null],
    ]);
    const keys = runs.map((r) => r.objects[0]!.key);
    const before = filesUnder(backupsFolder);
    expect(before).toHaveLength(6);

    // From no policy, the flags start a new one with the default floor of 1.
    expect(json<JobDto>(['job', 'update', 'app-nightly', '--keep-last', '1']).retention).toEqual({ keepLast: 1, daily: null, weekly: null, monthly: null, yearly: null, minimum: 1 });
    const preview = json<RetentionPreviewDto>(['retention', 'preview', 'app-nightly']);
    expect(preview.jobName).toBe('app-nightly');
    expect(preview.timeZone).not.toBe('');
    expect(preview.destinations.map((d) => [d.destination, d.databases.map((db) => db.backups.map((b) => [b.key, b.action, b.reasons]))])).toEqual([
      [
        'disk',
        [
          [
            [keys[2], 'keep', ['last 1', 'minimum']],
            [keys[1], 'delete', []],
            [keys[0], 'delete', []],
          ],
        ],
      ],
    ]);
    expect(filesUnder(backupsFolder)).toEqual(before);

    const human = vaultdesk(['retention', 'preview', 'app-nightly']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Retention of job "app-nightly": keep the last 1; never fewer than the newest 1; pinned backups are always kept.');
    expect(human.stdout).toMatch(/^KEY +CREATED +ACTION +WHY$/m);
    expect(human.stdout).toMatch(new RegExp(`^${keys[2]!.replace(/[.]/g, '\\.')} +\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} +keep +last 1, minimum$`, 'm'));
    expect(human.stdout).toMatch(new RegExp(`^${keys[0]!.replace(/[.]/g, '\\.')} +\\S+ \\S+ +delete +no rule keeps it$`, 'm'));
    expect(human.stdout).toContain('Would delete 2 of 3 backup(s); nothing was deleted (dry run).');
    expect(filesUnder(backupsFolder)).toEqual(before);

    const next = json<RunDto>(['backup', 'run', 'app-nightly']);
    expect(next.status).toBe('succeeded');
    expect(next.retention).toMatchObject([{ destination: 'disk', kept: 1, deleted: [keys[2], keys[1], keys[0]], error: null }]);
    const newest = next.objects[0]!.key;
    expect(filesUnder(backupsFolder)).toEqual([newest, `${newest}.manifest.json`].sort());
    const shown = vaultdesk(['run', 'show', next.id]).stdout;
    expect(shown).toContain(`\nretention on disk: 3 deleted, 1 kept\n  deleted ${keys[2]}\n  deleted ${keys[1]}\n  deleted ${keys[0]}\n`);

    const missing = vaultdesk(['retention', 'preview', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('vaultdesk: error [NOT_FOUND]: No job named "nope".\n');
  });
});
