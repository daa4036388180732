import type { TableCountDto } from '../../../shared/domain/restores';

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
  #head: Buffer[] = [];
  #headBytes = 0;
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
    this.#head = [];
  }

  #gather(chunk: Buffer): void {
    this.#head.push(chunk);
    this.#headBytes += chunk.length;
    if (this.#headBytes > HEAD_MAX) throw new Error('table of contents too long');
    const bytes = this.#head.length === 1 ? this.#head[0]! : Buffer.concat(this.#head, this.#headBytes);
    const parsed = readHead(bytes);
    if (parsed === 'more') {
      this.#head = [bytes];
      return;
    }
    if (parsed === null) throw new Error('not a countable archive');
    this.#head = [];
    this.#toc = parsed.toc;
    this.#at = 'block';
    this.#walk(bytes, parsed.end);
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
const BLK_DATA = 1;
const BLK_BLOBS = 3;
const ARCHIVE_CUSTOM = 1;
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

/** The archive's integer at `at`, `count` bytes long: a sign byte, then the value's bytes, least significant first. */
function readInt(bytes: ArrayLike<number>, at: number, count: number): number {
  let value = 0;
  for (let k = at + count - 1; k > at; k--) value = value * 256 + bytes[k]!;
  return bytes[at] === 0 ? value : -value;
}

class NeedMore extends Error {}

/** A cursor over the gathered head; NeedMore when it runs past what has arrived. */
class HeadReader {
  #at = 0;
  intSize = 4;
  constructor(readonly bytes: Buffer) {}

  get at(): number {
    return this.#at;
  }

  byte(): number {
    if (this.#at >= this.bytes.length) throw new NeedMore();
    return this.bytes[this.#at++]!;
  }

  int(): number {
    const count = this.intSize + 1;
    if (this.#at + count > this.bytes.length) throw new NeedMore();
    const value = readInt(this.bytes, this.#at, count);
    this.#at += count;
    return value;
  }

  /** A string, or null (length -1). */
  str(): string | null {
    const length = this.int();
    if (length < 0) return null;
    if (this.#at + length > this.bytes.length) throw new NeedMore();
    const text = this.bytes.toString('utf8', this.#at, this.#at + length);
    this.#at += length;
    return text;
  }

  skip(n: number): void {
    if (this.#at + n > this.bytes.length) throw new NeedMore();
    this.#at += n;
  }
}

const version = (major: number, minor: number): number => major * 256 * 256 + minor * 256;

/** The header and table of contents; 'more' when they have not all arrived, null when this cannot count the archive. */
function readHead(bytes: Buffer): { toc: Toc; end: number } | 'more' | null {
  const r = new HeadReader(bytes);
  try {
    if (bytes.length < 5) throw new NeedMore();
    if (bytes.toString('latin1', 0, 5) !== 'PGDMP') return null;
    r.skip(5);
    const major = r.byte();
    const minor = r.byte();
    r.byte();
    const v = version(major, minor);
    if (v < version(1, 12) || v > version(1, 16)) return null;
    r.intSize = r.byte();
    const offSize = r.byte();
    if (r.intSize < 1 || r.intSize > 8 || offSize < 1 || offSize > 16) return null;
    if (r.byte() !== ARCHIVE_CUSTOM) return null;
    // 1.15 (PostgreSQL 16) names the algorithm; before, a zlib level. Either way 0 is none.
    const compression = v >= version(1, 15) ? r.byte() : r.int();
    if (compression !== 0) return null;
    for (let k = 0; k < 7; k++) r.int(); // creation time
    r.str(); // database name
    r.str(); // server version
    r.str(); // pg_dump version
    const count = r.int();
    if (count < 0) return null;
    const tables: Toc['tables'] = [];
    const dataOf = new Map<number, string>();
    let nested = false;
    for (let e = 0; e < count; e++) {
      const dumpId = r.int();
      r.int(); // had a dumper
      r.str(); // table oid
      r.str(); // oid
      const tag = r.str();
      const desc = r.str();
      r.int(); // section
      const defn = r.str();
      r.str(); // drop statement
      const copyStmt = r.str();
      const namespace = r.str();
      r.str(); // tablespace
      if (v >= version(1, 14)) r.str(); // table access method
      if (v >= version(1, 16)) r.int(); // relkind
      r.str(); // owner
      r.str(); // with oids
      while (r.str() !== null); // dependencies
      r.skip(1 + offSize); // data offset
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
    return { toc: { intSize: r.intSize, tables, dataOf }, end: r.at };
  } catch (error) {
    if (error instanceof NeedMore) return 'more';
    throw error;
  }
}
