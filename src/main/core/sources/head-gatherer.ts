/**
 * Gathers a stream's first bytes until `parse` can read what it needs from them (a custom-format
 * archive's table of contents: pg-archive-toc.ts), with linear work however long that is: the bytes
 * go into one buffer that doubles when full, and a parse that asked for more is tried again only once
 * the bytes have doubled since. A table of contents of tens of thousands of tables is tens of MiB,
 * which a copy and a parse per chunk made quadratic.
 */
export class HeadGatherer<T> {
  #buffer = Buffer.alloc(0);
  #length = 0;
  #triedAt = 0;

  constructor(
    private readonly parse: (bytes: Buffer) => T | 'more',
    private readonly max: number,
  ) {}

  /** Every byte added so far. */
  get bytes(): Buffer {
    return this.#buffer.subarray(0, this.#length);
  }

  /** Past `max` bytes without a parse: the caller gives up on it. */
  get tooLong(): boolean {
    return this.#length > this.max;
  }

  /** Adds a chunk: the parse's answer, or 'more' while it needs (or has not yet been asked with) more. */
  add(chunk: Buffer): T | 'more' {
    if (this.#length + chunk.length > this.#buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(2 * this.#buffer.length, this.#length + chunk.length, 64 * 1024));
      this.#buffer.copy(grown, 0, 0, this.#length);
      this.#buffer = grown;
    }
    chunk.copy(this.#buffer, this.#length);
    this.#length += chunk.length;
    if (this.#length < 2 * this.#triedAt && this.#length <= this.max) return 'more';
    this.#triedAt = this.#length;
    return this.parse(this.bytes);
  }

  /** The parse's answer with every byte added (at the stream's end, or once too long). */
  last(): T | 'more' {
    if (this.#triedAt === this.#length) return 'more';
    this.#triedAt = this.#length;
    return this.parse(this.bytes);
  }
}
