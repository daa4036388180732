import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, dropPgDatabase, PG_SPLIT_SCHEMA, probePostgres, scratchName, seedPgAwkward, withPg } from '../testing/db-fixtures';
import { shouldSkip } from '../testing/services';
import { PgArchiveSplitter, splittableArchive, tableDataList, type SplitSink } from './pg-archive-split';
import { readArchiveHead, readArchiveInt, type ArchiveHead } from './pg-archive-toc';

const run = promisify(execFile);
const reason = await probePostgres();

/** Each table-data block of an archive, as its dump id and the COPY text it carries (pieces joined). */
function blocksOf(archive: Buffer): { head: ArchiveHead; ids: number[]; data: Map<number, Buffer> } {
  const head = readArchiveHead(archive);
  if (head === null || head === 'more') throw new Error('not an archive');
  const n = head.intSize + 1;
  const ids: number[] = [];
  const data = new Map<number, Buffer>();
  let at = head.end;
  while (at < archive.length) {
    expect(archive[at]).toBe(1);
    const id = readArchiveInt(archive, at + 1, n);
    at += 1 + n;
    const pieces: Buffer[] = [];
    for (;;) {
      const length = readArchiveInt(archive, at, n);
      at += n;
      if (length === 0) break;
      pieces.push(archive.subarray(at, at + length));
      at += length;
    }
    ids.push(id);
    data.set(id, Buffer.concat(pieces));
  }
  return { head, ids, data };
}

/** A sink that keeps what it gets; `waiting` is what it has taken so far, so the splitter deals evenly. */
function keeper(): SplitSink & { bytes: () => Buffer } {
  const parts: Buffer[] = [];
  let length = 0;
  return {
    write(chunk: Buffer) {
      parts.push(Buffer.from(chunk));
      length += chunk.length;
    },
    get writableLength() {
      return length;
    },
    bytes: () => Buffer.concat(parts),
  };
}

function split(archive: Buffer, loaders: number, pieceSize: number, batchBytes: number): Buffer[] {
  const head = readArchiveHead(archive) as ArchiveHead;
  const sinks = Array.from({ length: loaders }, keeper);
  const splitter = new PgArchiveSplitter(head, archive.subarray(0, head.end), sinks, batchBytes);
  for (let at = head.end; at < archive.length; at += pieceSize) splitter.feed(archive.subarray(at, Math.min(archive.length, at + pieceSize)));
  splitter.finish();
  return sinks.map((s) => s.bytes());
}

const lines = (text: Buffer): string[] =>
  text
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '' && l !== '\\.')
    .sort();

describe.skipIf(shouldSkip('PostgreSQL', reason))('PgArchiveSplitter on real pg_dump archives', () => {
  const database = scratchName('pgsplit');
  let archive: Buffer;

  async function dump(name: string, extra: string[] = []): Promise<Buffer> {
    const { stdout } = await run('pg_dump', ['--format=custom', '--compress=0', '--host=127.0.0.1', '--username=postgres', ...extra, name], { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  }

  beforeAll(async () => {
    await createPgDatabase(database);
    await withPg(database, (c) => c.query(PG_SPLIT_SCHEMA));
    archive = await dump(database);
  });

  afterAll(() => dropPgDatabase(database));

  it('deals every row to exactly one loader, each loader an archive with every table block, in any piece size', () => {
    const original = blocksOf(archive);
    expect(splittableArchive(original.head)).toBe(true);
    expect(tableDataList(original.head).trim().split('\n').map(Number)).toEqual(original.ids);
    for (const pieceSize of [archive.length, 65_536, 4099, 7, 1]) {
      const parts = split(archive, 3, pieceSize, 1000).map(blocksOf);
      for (const part of parts) {
        expect(part.head.end).toBe(original.head.end);
        expect(part.ids, `piece size ${pieceSize}`).toEqual(original.ids);
      }
      for (const id of original.ids) {
        const dealt = parts.map((p) => p.data.get(id)!);
        // Rows are whole in each loader's share: every share ends a line, and together they are the table.
        for (const share of dealt) if (share.length > 0) expect(share.at(-1)).toBe(0x0a);
        expect(lines(Buffer.concat(dealt)), `table data ${id}, piece size ${pieceSize}`).toEqual(lines(original.data.get(id)!));
      }
      const biggest = original.ids.reduce((a, b) => (original.data.get(a)!.length >= original.data.get(b)!.length ? a : b));
      for (const part of parts) expect(lines(part.data.get(biggest)!).length, 'every loader gets rows of the largest table').toBeGreaterThan(1000);
    }
  });

  it('refuses an archive cut inside a block, and bytes that are not table data', () => {
    const original = blocksOf(archive);
    const head = original.head;
    const cut = archive.subarray(0, archive.length - 3);
    expect(() => split(cut, 2, 4096, 1000)).toThrow(/ends inside a data block/);
    const wrongType = Buffer.concat([archive.subarray(0, head.end), Buffer.from([3])]);
    expect(() => split(wrongType, 2, 4096, 1000)).toThrow(/block type 3/);
  });

  it('leaves compressed, INSERT-form and large-object archives to one pg_restore', async () => {
    const headOf = (bytes: Buffer): ArchiveHead => readArchiveHead(bytes) as ArchiveHead;
    expect(splittableArchive(headOf(await dump(database, ['--compress=1'])))).toBe(false);
    expect(splittableArchive(headOf(await dump(database, ['--inserts'])))).toBe(false);
    const withObjects = scratchName('pgsplitlo');
    await createPgDatabase(withObjects);
    try {
      await seedPgAwkward(withObjects);
      expect(splittableArchive(headOf(await dump(withObjects)))).toBe(false);
      await withPg(withObjects, (c) => c.query('SELECT lo_unlink(oid) FROM pg_largeobject_metadata'));
      expect(splittableArchive(headOf(await dump(withObjects)))).toBe(true);
    } finally {
      await dropPgDatabase(withObjects);
    }
  });
});
