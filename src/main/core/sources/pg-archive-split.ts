import { BLK_DATA, readArchiveInt, SECTION_DATA, type ArchiveHead } from './pg-archive-toc';

/** Where a batch of rows may go: a loader's input (a stream into one `pg_restore --data-only`). */
export interface SplitSink {
  write(chunk: Buffer): unknown;
  /** Bytes written and not yet taken by the loader: a batch goes to the sink with the fewest. */
  readonly writableLength: number;
}

/**
 * Whether an archive's rows can be loaded by several pg_restore processes at once: uncompressed
 * (`--compress=0`, as Vaultdesk dumps), every table's data in COPY form, and no large objects, whose
 * data blocks a loader must see whole. `SEQUENCE SET` entries carry no data.
 */
export function splittableArchive(head: ArchiveHead): boolean {
  if (head.compressed) return false;
  let tables = 0;
  for (const e of head.entries) {
    if (e.desc === 'TABLE DATA') {
      if (e.copyStmt === null || !e.copyStmt.startsWith('COPY ')) return false;
      tables++;
    } else if (e.section === SECTION_DATA && e.desc !== 'SEQUENCE SET') return false;
  }
  return tables > 0;
}

/** The `pg_restore --use-list` of the loaders after the first: the tables' data, in archive order, which is the order their blocks stream in. */
export function tableDataList(head: ArchiveHead): string {
  return head.entries
    .filter((e) => e.desc === 'TABLE DATA')
    .map((e) => `${e.dumpId}\n`)
    .join('');
}

/**
 * Deals a custom-format archive's rows out to several loaders, each a `pg_restore --data-only` that
 * reads an archive of its own: the same header and table of contents, then every table's data
 * block with the rows dealt to it (possibly none). A table's data is one piece per row
 * (`WriteData` per COPY row in pg_dump), so rows are dealt in batches of whole pieces, cut only
 * after a piece that ends a line, and passed on as the bytes they arrived in: no copy, no re-framing.
 * A block's start and end go to every loader. Each batch goes to the loader with the least waiting,
 * so a loader whose server session runs slower gets fewer rows.
 */
export class PgArchiveSplitter {
  #at: 'block' | 'blockId' | 'length' | 'piece' = 'block';
  /** The bytes of an integer (a block id, a piece length) that spans two chunks. */
  #carry: number[] = [];
  /** A block's start: its type byte and id, sent to every loader once whole. */
  #blockHead: number[] = [];
  #left = 0;
  #sink: SplitSink;
  /** Stream offset where the current batch began, and of the current chunk's first byte. */
  #batchStart = 0;
  #offset = 0;
  readonly #intBytes: number;
  readonly #tables: Set<number>;

  constructor(
    head: ArchiveHead,
    headBytes: Buffer,
    private readonly sinks: readonly SplitSink[],
    private readonly batchBytes = 256 * 1024,
  ) {
    if (sinks.length === 0) throw new Error('no loaders');
    this.#intBytes = head.intSize + 1;
    this.#tables = new Set(head.entries.filter((e) => e.desc === 'TABLE DATA').map((e) => e.dumpId));
    this.#sink = sinks[0]!;
    for (const sink of sinks) sink.write(headBytes);
  }

  /** The next bytes after the table of contents. Throws on what no pg_dump archive holds. */
  feed(chunk: Buffer): void {
    const n = this.#intBytes;
    let i = 0;
    // Where this chunk's bytes for the current loader start, -1 while none are pending.
    let from = this.#at === 'piece' || this.#at === 'length' ? 0 : -1;
    while (i < chunk.length) {
      if (this.#at === 'block') {
        const type = chunk[i++]!;
        if (type !== BLK_DATA) throw new Error(`unexpected block type ${type} in a table-data stream`);
        this.#blockHead = [type];
        this.#at = 'blockId';
      } else if (this.#at === 'blockId') {
        while (this.#blockHead.length < 1 + n && i < chunk.length) this.#blockHead.push(chunk[i++]!);
        if (this.#blockHead.length < 1 + n) break;
        const id = readArchiveInt(this.#blockHead, 1, n);
        if (!this.#tables.has(id)) throw new Error(`data block ${id} is not a table's data`);
        const head = Buffer.from(this.#blockHead);
        for (const sink of this.sinks) sink.write(head);
        this.#at = 'length';
        from = i;
      } else if (this.#at === 'length') {
        const start = i;
        if (this.#carry.length === 0 && i + n <= chunk.length) {
          const value = readArchiveInt(chunk, i, n);
          i += n;
          if (value > 0) {
            this.#left = value;
            this.#at = 'piece';
            continue;
          }
          if (value < 0) throw new Error('negative piece length');
          // The block's end: the rows before it to the current loader, the zero length to every one.
          if (from >= 0 && from < start) this.#sink.write(chunk.subarray(from, start));
          const end = chunk.subarray(start, i);
          for (const sink of this.sinks) sink.write(end);
          from = -1;
          this.#at = 'block';
          continue;
        }
        // A length across two chunks: gathered, then sent where a length in one chunk would go.
        if (from >= 0 && from < start) this.#sink.write(chunk.subarray(from, start));
        from = -1;
        while (this.#carry.length < n && i < chunk.length) this.#carry.push(chunk[i++]!);
        if (this.#carry.length < n) break;
        const value = readArchiveInt(this.#carry, 0, n);
        const whole = Buffer.from(this.#carry);
        this.#carry = [];
        if (value < 0) throw new Error('negative piece length');
        if (value > 0) {
          this.#sink.write(whole);
          this.#left = value;
          this.#at = 'piece';
          from = i;
          continue;
        }
        for (const sink of this.sinks) sink.write(whole);
        this.#at = 'block';
      } else {
        const take = Math.min(this.#left, chunk.length - i);
        i += take;
        this.#left -= take;
        if (this.#left > 0) break;
        this.#at = 'length';
        // A batch ends after a piece that ends a line: the next loader starts on a row of its own.
        if (chunk[i - 1] === 0x0a && this.#offset + i - this.#batchStart >= this.batchBytes) {
          if (from >= 0 && from < i) this.#sink.write(chunk.subarray(from, i));
          from = i;
          this.#batchStart = this.#offset + i;
          this.#sink = this.#leastWaiting();
        }
      }
    }
    if (from >= 0 && from < chunk.length && (this.#at === 'piece' || this.#at === 'length')) this.#sink.write(chunk.subarray(from));
    this.#offset += chunk.length;
  }

  /** Throws when the stream stopped inside a block: the loaders would load part of a table. */
  finish(): void {
    if (this.#at !== 'block') throw new Error('the archive ends inside a data block');
  }

  #leastWaiting(): SplitSink {
    let best = this.sinks[0]!;
    for (const sink of this.sinks) if (sink.writableLength < best.writableLength) best = sink;
    return best;
  }
}
