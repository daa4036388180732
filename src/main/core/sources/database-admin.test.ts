import { describe, expect, it } from 'vitest';
import { loadedAsCount, shareOut } from './database-admin';

describe('shareOut', () => {
  it('gives every item to exactly one worker, never running more workers than asked or than items', async () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const done: string[] = [];
    let running = 0;
    let most = 0;
    let workers = 0;
    await shareOut(items, 3, async (next) => {
      workers++;
      for (let t = next(); t; t = next()) {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5 * (t.index % 3)));
        expect(items[t.index]).toBe(t.item);
        done.push(t.item);
        running--;
      }
    });
    expect([...done].sort()).toEqual(items);
    expect([workers, most]).toEqual([3, 3]);

    let started = 0;
    await shareOut(['only'], 8, async (next) => {
      started++;
      while (next());
    });
    await shareOut([], 3, async () => {
      started += 100;
    });
    expect(started).toBe(1);
  });

  it('fails when a worker fails', async () => {
    await expect(shareOut([1, 2, 3], 2, async (next) => {
      for (let t = next(); t; t = next()) if (t.item === 2) throw new Error('lost the connection');
    })).rejects.toThrow('lost the connection');
  });
});

describe('loadedAsCount', () => {
  const tables = [
    { schema: 'Sales Dept', table: 'q1' },
    { schema: 'public', table: 'orders' },
  ];
  const loaded = [
    { schema: 'public', table: 'orders', rows: 3 },
    { schema: 'Sales Dept', table: 'q1', rows: 0 },
  ];

  it("gives the loaded rows in the database's table order when they name exactly its tables", () => {
    expect(loadedAsCount(tables, loaded)).toEqual([
      { schema: 'Sales Dept', table: 'q1', rows: 0 },
      { schema: 'public', table: 'orders', rows: 3 },
    ]);
  });

  it('gives nothing when the database has a table the dump did not load, or the dump one it lacks, or nothing was counted', () => {
    expect(loadedAsCount([...tables, { schema: 'public', table: 'spatial_ref_sys' }], loaded)).toBeNull();
    expect(loadedAsCount(tables.slice(0, 1), loaded)).toBeNull();
    expect(loadedAsCount(tables, [loaded[0]!, { schema: 'public', table: 'q1', rows: 0 }])).toBeNull();
    expect(loadedAsCount(tables, null)).toBeNull();
    expect(loadedAsCount(tables, undefined)).toBeNull();
  });
});
