import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const BUNDLE = path.resolve(import.meta.dirname, '../../out/preload/index.cjs');

/**
 * The built preload, loaded with a stand-in `electron` module in the require cache (the sandboxed
 * preload is one CommonJS file that requires only `electron`): what it puts on the page.
 */
describe.skipIf(!existsSync(BUNDLE))('the built preload', () => {
  it('exposes the contract as window.vaultdesk and, for a dropped file, only its path', () => {
    const exposed = new Map<string, unknown>();
    const asked: unknown[] = [];
    const standIn = {
      contextBridge: { exposeInMainWorld: (name: string, value: unknown) => exposed.set(name, value) },
      ipcRenderer: { invoke: () => Promise.resolve({ ok: true, data: null }), on: () => undefined, removeListener: () => undefined },
      webUtils: {
        getPathForFile: (file: unknown) => {
          asked.push(file);
          return '/home/dba/Downloads/shop.dump.zst.age';
        },
      },
    };
    const electronPath = require.resolve('electron');
    const saved = require.cache[electronPath];
    require.cache[electronPath] = { id: electronPath, filename: electronPath, loaded: true, exports: standIn } as NodeJS.Module;
    try {
      delete require.cache[BUNDLE];
      require(BUNDLE);
    } finally {
      if (saved) require.cache[electronPath] = saved;
      else delete require.cache[electronPath];
      delete require.cache[BUNDLE];
    }
    expect([...exposed.keys()]).toEqual(['vaultdesk', 'vaultdeskFiles']);
    const api = exposed.get('vaultdesk') as Record<string, Record<string, unknown>>;
    expect(typeof api.recovery!.decrypt).toBe('function');
    const files = exposed.get('vaultdeskFiles') as { pathOf(file: unknown): string };
    expect(Object.keys(files)).toEqual(['pathOf']);
    const dropped = { name: 'shop.dump.zst.age' };
    expect(files.pathOf(dropped)).toBe('/home/dba/Downloads/shop.dump.zst.age');
    expect(asked).toEqual([dropped]);
  });
});
