/**
 * The head of a PostgreSQL custom-format archive (pg_backup_archiver.c, pg_backup_custom.c): the
 * header, then the table of contents, one entry per object (its kind, name, schema, SQL). The data
 * blocks follow it, each a type byte, the entry's id and length-prefixed pieces ending with a zero
 * length. Read for the row count (pg-archive-rows.ts) and the parallel load (pg-archive-split.ts),
 * which both leave an archive they do not know to pg_restore as it is.
 */

/** One entry of the table of contents, with what the readers here need of it. */
export interface TocEntry {
  dumpId: number;
  /** The object's kind: `TABLE`, `TABLE DATA`, `SEQUENCE SET`, `BLOBS`, `INDEX` ... */
  desc: string | null;
  tag: string | null;
  namespace: string | null;
  /** pg_dump's section: 1 none, 2 pre-data, 3 data, 4 post-data. */
  section: number;
  defn: string | null;
  copyStmt: string | null;
}

export interface ArchiveHead {
  /** Bytes of an integer's value (a sign byte comes before them). */
  intSize: number;
  /** Whether data blocks are compressed inside the archive (`pg_dump -Z`). */
  compressed: boolean;
  entries: TocEntry[];
  /** Where the data blocks start. */
  end: number;
}

export const SECTION_DATA = 3;
/** A data block's type byte: a table's COPY text, or large objects. */
export const BLK_DATA = 1;
export const BLK_BLOBS = 3;
const ARCHIVE_CUSTOM = 1;

const version = (major: number, minor: number): number => major * 256 * 256 + minor * 256;

/**
 * The header and table of contents; 'more' when they have not all arrived, null for what this does
 * not know: not a custom-format archive, or a version outside 1.12-1.16 (PostgreSQL 9.6-17).
 */
export function readArchiveHead(bytes: Buffer): ArchiveHead | 'more' | null {
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
    for (let k = 0; k < 7; k++) r.int(); // creation time
    r.str(); // database name
    r.str(); // server version
    r.str(); // pg_dump version
    const count = r.int();
    if (count < 0) return null;
    const entries: TocEntry[] = [];
    for (let e = 0; e < count; e++) {
      const dumpId = r.int();
      r.int(); // had a dumper
      r.str(); // table oid
      r.str(); // oid
      const tag = r.str();
      const desc = r.str();
      const section = r.int();
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
      entries.push({ dumpId, desc, tag, namespace, section, defn, copyStmt });
    }
    return { intSize: r.intSize, compressed: compression !== 0, entries, end: r.at };
  } catch (error) {
    if (error instanceof NeedMore) return 'more';
    throw error;
  }
}

/** The archive's integer at `at`, `count` bytes long: a sign byte, then the value's bytes, least significant first. */
export function readArchiveInt(bytes: ArrayLike<number>, at: number, count: number): number {
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
    const value = readArchiveInt(this.bytes, this.#at, count);
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
