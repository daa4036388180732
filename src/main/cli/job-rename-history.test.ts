import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BackupDto } from '../../shared/domain/backups';
import type { RunDto } from '../../shared/domain/runs';
import { cliRunner, jsonOutput } from '../core/testing/cli-runner';
import { seedSqliteFile } from '../core/testing/db-fixtures';
import { tempDir } from '../core/testing/temp-dir';

const t = tempDir('vaultdesk-job-rename-');
afterAll(() => t.cleanup());

const vaultdesk = cliRunner(t.dir);
const json = jsonOutput(vaultdesk);

describe('a job renamed, and a new job under its old name', { timeout: 120_000 }, () => {
  it("runs and backups go by the job, not by the name they were made under: each job's history and backups stay its own", () => {
    seedSqliteFile(path.join(t.dir, 'app.db'), 10);
    expect(vaultdesk(['source', 'add', 'sqlite', '--name', 'app', '--path', path.join(t.dir, 'app.db')]).code).toBe(0);
    expect(vaultdesk(['destination', 'add', 'local', '--name', 'disk', '--path', path.join(t.dir, 'backups'), '--default']).code).toBe(0);
    expect(vaultdesk(['job', 'add', '--name', 'app-min', '--source', 'app']).code).toBe(0);
    const before = json<RunDto>(['backup', 'run', 'app-min']);
    expect(vaultdesk(['job', 'update', 'app-min', '--name', 'app-old']).code).toBe(0);
    expect(vaultdesk(['job', 'add', '--name', 'app-min', '--source', 'app']).code).toBe(0);
    const after = json<RunDto>(['backup', 'run', 'app-min']);

    // The history names each run's job as it is called now.
    expect(json<RunDto[]>(['run', 'list']).map((r) => [r.id, r.jobName])).toEqual([
      [after.id, 'app-min'],
      [before.id, 'app-old'],
    ]);
    expect(json<RunDto>(['run', 'show', before.id]).jobName).toBe('app-old');
    // Each job's backups: the renamed one's by its new name, though its manifest says app-min; the new job's alone under app-min.
    const keysOf = (job: string): string[] => json<BackupDto[]>(['backup', 'list', '--job', job]).map((b) => b.key);
    expect(keysOf('app-old')).toEqual([before.objects[0]!.key]);
    expect(keysOf('app-min')).toEqual([after.objects[0]!.key]);
    // The manifest still records the name the backup was made under.
    expect(json<BackupDto[]>(['backup', 'list']).map((b) => b.job)).toEqual(['app-min', 'app-min']);
  });
});
