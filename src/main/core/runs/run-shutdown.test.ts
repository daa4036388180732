import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { seedSqliteFile } from '../testing/db-fixtures';
import { tempCore, tempDir } from '../testing/temp-dir';

describe('RunService.stopAll', () => {
  const t = tempDir('vaultdesk-shutdown-');
  afterAll(() => t.cleanup());

  it('refuses runs asked for once the host has started stopping, so none starts on a store about to close', async () => {
    const file = path.join(t.dir, 'app.db');
    seedSqliteFile(file, 10);
    const core = await tempCore(t.dir);
    try {
      const source = await core.call('sources:create', { engine: 'sqlite', name: 'app', path: file });
      const destination = await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') });
      const job = await core.call('jobs:create', { name: 'app', sourceId: source.id, destinationIds: [destination.id], compression: 'none' });
      const stopping = core.runService.stopAll(new AppError('CANCELLED', 'Vaultdesk was quit'));
      await expect(core.call('jobs:run', { id: job.id })).rejects.toMatchObject({ code: 'CANCELLED', message: 'Vaultdesk is shutting down: no new run can start.' });
      await stopping;
      expect(await core.call('runs:list', {})).toEqual([]);
    } finally {
      core.close();
    }
  });
});
