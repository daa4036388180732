import { describe, expect, it } from 'vitest';
import type { TableCountDto } from '../../../shared/domain/restores';
import { AppError } from '../../../shared/ipc/result';
import { silentLogger } from '../logger';
import { countWhileDropping } from './after-swap';

const COUNTS: TableCountDto[] = [{ schema: null, table: 'orders', rows: 50 }];
const OPTIONS = { where: 'on "shop"', log: silentLogger, connections: 3 };

/** Stands in for a server whose failure after a swap cannot be staged on demand (the restore tests stage the PostgreSQL one). */
function admin(behaviour: { count?: () => Promise<TableCountDto[]>; drop?: (database: string) => Promise<void> }) {
  const calls: string[] = [];
  return {
    calls,
    countRows: async (database: string) => {
      calls.push(`count ${database}`);
      return (behaviour.count ?? (async () => COUNTS))();
    },
    drop: async (database: string) => {
      calls.push(`drop ${database}`);
      await behaviour.drop?.(database);
    },
  };
}

describe('after a swap: count the restored copy while dropping what it replaced', () => {
  it('counts and drops at once: the count waits for nothing the drop does', async () => {
    let dropped!: () => void;
    const dropping = new Promise<void>((resolve) => (dropped = resolve));
    // The count ends only once the drop has started and been let go: run one after the other, this would never end.
    const a = admin({
      count: async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        dropped();
        return COUNTS;
      },
      drop: () => dropping,
    });
    const after = await countWhileDropping(a, 'shop', ['shop_vdnew_1_old', 'shop_vdnew_1'], OPTIONS);
    expect(after).toEqual({ tables: COUNTS, notes: [] });
    expect(a.calls).toEqual(['count shop', 'drop shop_vdnew_1_old', 'drop shop_vdnew_1']);
  });

  it('a count that fails leaves no counts and a note, and the drops still happen', async () => {
    const a = admin({ count: () => Promise.reject(new AppError('SOURCE_UNREACHABLE', 'Lost the connection to MySQL at db:3306.')) });
    const after = await countWhileDropping(a, 'shop', ['shop_vdnew_1_old'], OPTIONS);
    expect(after).toEqual({ tables: null, notes: ['Its rows could not be counted once it was in place: Lost the connection to MySQL at db:3306.'] });
    expect(a.calls).toContain('drop shop_vdnew_1_old');
  });

  it('a drop that fails names what was left, the replaced database apart from the empty scratch, and keeps the counts', async () => {
    const a = admin({ drop: (database) => Promise.reject(new Error(`cannot drop ${database}`)) });
    const after = await countWhileDropping(a, 'shop', ['shop_vdnew_1_old', 'shop_vdnew_1'], OPTIONS);
    expect(after.tables).toEqual(COUNTS);
    expect(after.notes).toEqual([
      'The database it replaced was left as shop_vdnew_1_old on "shop" (it could not be dropped: cannot drop shop_vdnew_1_old): drop it by hand once you no longer need it.',
      'The empty database shop_vdnew_1 on "shop", left by the swap, could not be dropped (cannot drop shop_vdnew_1): drop it by hand.',
    ]);
  });
});
