import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger';
import { tempCore, tempDir } from '../testing/temp-dir';
import { sweepRestoreTemp } from './restore-temp-sweep';

describe('sweepRestoreTemp', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('vaultdesk-restore-sweep-')));
  afterEach(() => cleanup());

  /** What restores leave: a parallel restore's folder with its decrypted dump, a SQLite drill's copy and the files beside it. */
  function leftBy(root: string, id: string, drill: string): void {
    mkdirSync(path.join(root, `restore-${id}`), { recursive: true });
    writeFileSync(path.join(root, `restore-${id}`, 'b1.dump'), 'PGDMP in clear');
    for (const f of [drill, `${drill}-wal`, `${drill}-shm`, `.${drill}.vaultdesk-${randomUUID()}.partial`]) writeFileSync(path.join(root, f), 'rows in clear');
  }

  it("removes what restores no process runs left, keeps a running restore's own and everything else", () => {
    const [gone, alive] = [randomUUID(), randomUUID()];
    const [goneDrill, aliveDrill] = [`drill-${randomUUID()}.sqlite`, `drill-${randomUUID()}.sqlite`];
    leftBy(dir, gone, goneDrill);
    leftBy(dir, alive, aliveDrill);
    mkdirSync(path.join(dir, `run-${randomUUID()}`));
    writeFileSync(path.join(dir, 'check-123.tmp'), 'x');
    const removed = sweepRestoreTemp(dir, [{ id: alive, targets: [path.join(dir, aliveDrill)] }], silentLogger);
    expect(removed.map((f) => path.basename(f)).sort()).toEqual([`restore-${gone}`, goneDrill, `${goneDrill}-shm`, `${goneDrill}-wal`, expect.stringMatching(new RegExp(`^\\.${goneDrill.replace(/\./g, '\\.')}\\.vaultdesk-.*\\.partial$`))].sort());
    const left = readdirSync(dir);
    expect(left).toContain(`restore-${alive}`);
    expect(left.filter((f) => f.includes(aliveDrill))).toHaveLength(4);
    expect(left.filter((f) => f.startsWith('run-') || f === 'check-123.tmp')).toHaveLength(2);
  });

  it('a data dir opened after a restore was killed holds none of its decrypted files, at once, not an hour later', async () => {
    const id = randomUUID();
    const drill = `drill-${randomUUID()}.sqlite`;
    const tmp = path.join(dir, 'data', 'tmp');
    leftBy(tmp, id, drill);
    const core = await tempCore(dir);
    try {
      expect(existsSync(path.join(tmp, `restore-${id}`))).toBe(false);
      expect(readdirSync(tmp).filter((f) => f.includes(drill))).toEqual([]);
    } finally {
      core.close();
    }
  });
});
