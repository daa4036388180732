import { describe, expect, it } from 'vitest';
import type { RestoreDto } from '../../../../shared/domain/restores';
import { formatDifference, messageWithoutToDo, restorePercent, withProgress } from './restore-words';

const running = { id: 'r1', status: 'running', stage: 'check', bytesRead: 0, totalBytes: 100 } as RestoreDto;

describe('restore words', () => {
  it('says how much of the backup was read, never past the whole', () => {
    expect(restorePercent({ bytesRead: 50, totalBytes: 200 })).toBe(25);
    expect(restorePercent({ bytesRead: 300, totalBytes: 200 })).toBe(100);
    expect(restorePercent({ bytesRead: 0, totalBytes: 0 })).toBe(0);
  });

  it('moves a running restore on with its own progress only', () => {
    const p = { restoreId: 'r1', stage: 'restore' as const, database: 'shop', bytesRead: 40, totalBytes: 100 };
    expect(withProgress(running, p)).toMatchObject({ stage: 'restore', bytesRead: 40 });
    expect(withProgress(running, { ...p, restoreId: 'r2' })).toBe(running);
    expect(withProgress({ ...running, status: 'succeeded' }, p).stage).toBe('check');
  });

  it('signs a difference, and says a missing side', () => {
    expect(formatDifference(12)).toBe('+12');
    expect(formatDifference(-3)).toBe('-3');
    expect(formatDifference(0)).toBe('0');
    expect(formatDifference(null)).toBe('—');
  });
});

describe('a restore\'s message in the history', () => {
  const drop = 'The database it replaced was left as shop_vdnew_1_old on "pg" (it could not be dropped: in use): drop it by hand once you no longer need it.';

  it('leaves out the to-do sentences it ends with, which are shown apart', () => {
    expect(messageWithoutToDo({ message: `Restored shop into shop (1 table, 3 rows) on "pg". ${drop}`, toDo: [drop] })).toBe('Restored shop into shop (1 table, 3 rows) on "pg".');
  });

  it('keeps a message whole when it has nothing to do, or does not say it', () => {
    expect(messageWithoutToDo({ message: 'Restored shop.', toDo: [] })).toBe('Restored shop.');
    expect(messageWithoutToDo({ message: 'Restored shop.', toDo: [drop] })).toBe('Restored shop.');
  });
});
