import type { TableCountDto } from '../../../shared/domain/restores';
import { HeadGatherer } from './head-gatherer';
import { BLK_BLOBS, BLK_DATA, readArchiveHead, readArchiveInt as readInt } from './pg-archive-toc';

/**
 * The rows a PostgreSQL custom-format archive (`pg_dump --format=custom --compress=0`) loads into
 * each of its tables, counted while it streams to pg_restore.
 *
 * The archive (pg_backup_archiver.c, pg_backup_custom.c): a header, the table of contents (one
 * entry per object: its kind, name, schema, SQL), then the data blocks, each a type byte, the
 * entry's id and length-prefixed pieces ending with a zero length. A table's data is its COPY
 * text, one line per row (newlines inside values are written as `\n`) up to the line `\.` that
 * ends it, which no row can be (a backslash in a value is written `\\`). pg_restore loads each
 * table's COPY whole or fails the restore, so once it has exited 0 these are the rows in the
 * tables, without reading them back.
 *
 * Anything this does not know for certain ends in null, and the restore counts with SQL as before:
 * an archive version outside 1.12-1.16 (PostgreSQL 9.6-17), compressed data blocks, data not in
 * COPY form (`--inserts`), a cut or malformed stream, and tables whose count(*) also counts other
 * tables' rows (inheritance, partitions).
 */
export class PgArchiveRowCounter {
  /** Where the stream is; for 'int', what the integer is (`#role`); for 'data', the piece's bytes left (`#left`). */
  #at: 'head' | 'block' | 'int' | 'data' = 'head';
  #role: IntRole = 'dataId';
  #left = 0;
  /** The header and the table of contents, gathered until they parse whole. */
  readonly #head = new HeadGatherer(readHead, HEAD_MAX);
  #toc: Toc | null = null;
  /** The bytes of an integer that spans two chunks. */
  readonly #int: number[] = [];
  #entry = 0;
  #rows = 0;
  /** The current line: its length so far, its first two bytes (as one number), whether `\.` ended the data. */
  #lineBytes = 0;
  #lineHead = 0;
  #copyEnded = false;
  readonly #rowsByEntry = new Map<number, number>();
  #failed = false;

  /** Never throws: what it cannot follow turns the count off, never the restore. */
  feed(chunk: Buffer): void {
    if (this.#failed) return;
    try {
      if (this.#at === 'head') {
        this.#gather(chunk);
        return;
      }
      this.#walk(chunk, 0);
    } catch {
      this.#fail();
    }
  }

  /** Every table the archive creates, with the rows its data loads; null when they are not known for certain. */
  finish(): TableCountDto[] | null {
    if (!this.#failed && this.#at === 'head') {
      // The table of contents may have come whole with the last bytes, not yet read.
      try {
        this.#parsed(this.#head.last());
      } catch {
        this.#fail();
      }
    }
    if (this.#failed || this.#toc === null || this.#at !== 'block') return null;
    const rows = new Map<string, number>();
    for (const [entry, count] of this.#rowsByEntry) {
      const table = this.#toc.dataOf.get(entry);
      if (table === undefined) return null;
      rows.set(table, (rows.get(table) ?? 0) + count);
    }
    return this.#toc.tables.map((t) => ({ schema: t.schema, table: t.table, rows: rows.get(tableKey(t.schema, t.table)) ?? 0 }));
  }

  #fail(): void {
    this.#failed = true;
  }

  #gather(chunk: Buffer): void {
    this.#parsed(this.#head.add(chunk));
    if (this.#at === 'head' && this.#head.tooLong) throw new Error('table of contents too long');
  }

  #parsed(parsed: ReturnType<typeof readHead>): void {
    if (parsed === 'more') return;
    if (parsed === null) throw new Error('not a countable archive');
    this.#toc = parsed.toc;
    this.#at = 'block';
    this.#walk(this.#head.bytes, parsed.end);
  }

  /**
   * Follows the data blocks through `chunk` from `start`. Called for every piece of every row, so
   * it allocates nothing: an integer is read in place, and gathered only when it spans two chunks.
   */
  #walk(chunk: Buffer, start: number): void {
    const intBytes = this.#toc!.intSize + 1;
    let i = start;
    while (i < chunk.length) {
      if (this.#at === 'block') {
        const type = chunk[i++]!;
        if (type === BLK_DATA) this.#expectInt('dataId');
        else if (type === BLK_BLOBS) this.#expectInt('blobsId');
        else throw new Error(`unknown block type ${type}`);
      } else if (this.#at === 'int') {
        if (this.#int.length === 0 && i + intBytes <= chunk.length) {
          const value = readInt(chunk, i, intBytes);
          i += intBytes;
          this.#afterInt(this.#role, value);
          continue;
        }
        while (this.#int.length < intBytes && i < chunk.length) this.#int.push(chunk[i++]!);
        if (this.#int.length === intBytes) {
          const value = readInt(this.#int, 0, intBytes);
          this.#int.length = 0;
          this.#afterInt(this.#role, value);
        }
      } else if (this.#at === 'data') {
        const end = Math.min(chunk.length, i + this.#left);
        const rows = this.#role === 'dataLength';
        if (rows) this.#countRows(chunk, i, end);
        this.#left -= end - i;
        i = end;
        if (this.#left === 0) this.#expectInt(rows ? 'dataLength' : 'blobLength');
      } else {
        throw new Error('unexpected state');
      }
    }
  }

  #expectInt(role: IntRole): void {
    this.#at = 'int';
    this.#role = role;
  }

  /** A piece of `bytes` long; `#role` stays the length's, which says whose piece it is. */
  #expectData(bytes: number): void {
    this.#at = 'data';
    this.#left = bytes;
  }

  /** The rows in chunk[start, end), a piece of the current table's COPY text: one indexOf per row, as pg_dump writes a row per piece. */
  #countRows(chunk: Buffer, start: number, end: number): void {
    let i = start;
    while (i < end && !this.#copyEnded) {
      const at = chunk.indexOf(NEWLINE, i);
      const lineEnd = at === -1 || at >= end ? end : at;
      for (let k = i; k < lineEnd && this.#lineBytes + (k - i) < 2; k++) this.#lineHead = this.#lineHead * 256 + chunk[k]!;
      this.#lineBytes += lineEnd - i;
      if (lineEnd === end) return;
      if (this.#lineBytes === 2 && this.#lineHead === END_OF_COPY) this.#copyEnded = true;
      else this.#rows++;
      this.#lineBytes = 0;
      this.#lineHead = 0;
      i = lineEnd + 1;
    }
  }

  #afterInt(what: IntRole, value: number): void {
    switch (what) {
      case 'dataId':
        this.#entry = value;
        this.#rows = 0;
        this.#lineBytes = 0;
        this.#lineHead = 0;
        this.#copyEnded = false;
        this.#expectInt('dataLength');
        return;
      case 'dataLength':
        if (value > 0) this.#expectData(value);
        else if (value === 0) {
          this.#rowsByEntry.set(this.#entry, (this.#rowsByEntry.get(this.#entry) ?? 0) + this.#rows);
          this.#at = 'block';
        } else throw new Error('negative length');
        return;
      case 'blobsId':
        this.#expectInt('blobOid');
        return;
      case 'blobOid':
        if (value === 0) this.#at = 'block';
        else this.#expectInt('blobLength');
        return;
      case 'blobLength':
        if (value > 0) this.#expectData(value);
        else if (value === 0) this.#expectInt('blobOid');
        else throw new Error('negative length');
        return;
    }
  }
}

const NEWLINE = 0x0a;
/** The line `\.`: backslash, period. */
const END_OF_COPY = 0x5c * 256 + 0x2e;
/** A table of contents longer than this is not gathered: the count falls back to SQL. */
const HEAD_MAX = 64 * 1024 * 1024;

type IntRole = 'dataId' | 'dataLength' | 'blobsId' | 'blobOid' | 'blobLength';

interface Toc {
  intSize: number;
  /** TABLE entries, in archive order. */
  tables: { schema: string; table: string }[];
  /** TABLE DATA entry id -> its table's key. */
  dataOf: Map<number, string>;
}

function tableKey(schema: string, table: string): string {
  return `${schema}\u0000${table}`;
}

/** The tables and their data entries; 'more' when the head has not all arrived, null when this cannot count the archive. */
function readHead(bytes: Buffer): { toc: Toc; end: number } | 'more' | null {
  const head = readArchiveHead(bytes);
  if (head === 'more') return 'more';
  if (head === null || head.compressed) return null;
  const tables: Toc['tables'] = [];
  const dataOf = new Map<number, string>();
  let nested = false;
  for (const { dumpId, desc, tag, namespace, defn, copyStmt } of head.entries) {
    if (desc === 'TABLE ATTACH') nested = true;
    if (desc === 'TABLE' && tag !== null && namespace !== null) {
      if (defn !== null && /\b(INHERITS|PARTITION\s+(OF|BY))\b/i.test(defn)) nested = true;
      tables.push({ schema: namespace, table: tag });
    }
    if (desc === 'TABLE DATA') {
      if (tag === null || namespace === null || copyStmt === null || !copyStmt.startsWith('COPY ')) return null;
      dataOf.set(dumpId, tableKey(namespace, tag));
    }
  }
  if (nested) return null;
  return { toc: { intSize: head.intSize, tables, dataOf }, end: head.end };
}
