import { AppError } from '../../../shared/ipc/result';

const ZSTD_MAGIC = 0xfd2fb528;
/** Skippable frames use magics 0x184D2A50..0x184D2A5F. */
export const SKIPPABLE_MAGIC_HIGH = 0x184d2a5;
const DICT_ID_BYTES = [0, 1, 2, 4] as const;

/** What a frame header's descriptor byte says of the header fields after it (RFC 8878, 3.1.1.1). */
export function frameDescriptor(d: number): { reservedSet: boolean; checksum: boolean; windowBytes: number; dictBytes: number; sizeBytes: number } {
  const singleSegment = (d >> 5) & 1;
  const sizeFlag = d >> 6;
  return {
    reservedSet: (d & 0x08) !== 0,
    checksum: ((d >> 2) & 1) === 1,
    windowBytes: singleSegment ? 0 : 1,
    dictBytes: DICT_ID_BYTES[d & 3]!,
    sizeBytes: sizeFlag === 0 ? singleSegment : 2 ** sizeFlag,
  };
}

type Field = 'magic' | 'skippable-size' | 'descriptor' | 'block-header';

function damaged(detail: string): AppError {
  return new AppError('INTEGRITY_FAILED', `The zstd data is damaged: ${detail}.`);
}

/**
 * Follows the frame and block structure of a zstd stream (RFC 8878) without decoding it. Node's
 * zstd decompressor (22.x) ends cleanly on a truncated frame and drops whatever follows a frame
 * end inside the same write: a cut-off or concatenated backup would restore short, silently.
 * The tracker says whether the input ended on a frame boundary and where frames end.
 */
export class ZstdFrameTracker {
  readonly #field = Buffer.alloc(4);
  #kind: Field = 'magic';
  #need = 4;
  #have = 0;
  #skip = 0;
  #afterSkip: () => void = () => undefined;
  #checksum = false;
  #frames = 0;
  /** Where in the chunk being fed the cursor is, and where frames ended in it. */
  #offset = 0;
  #ends: number[] = [];

  /** True when the input so far is one or more whole frames. */
  get complete(): boolean {
    return this.#frames > 0 && this.#kind === 'magic' && this.#have === 0 && this.#skip === 0;
  }

  /** Follows `chunk`; returns the offsets in it just past each frame that ended there. */
  feed(chunk: Buffer): number[] {
    this.#ends = [];
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, chunk.length - offset);
        this.#skip -= n;
        offset += n;
        this.#offset = offset;
        if (this.#skip === 0) this.#afterSkip();
        continue;
      }
      const n = Math.min(this.#need - this.#have, chunk.length - offset);
      chunk.copy(this.#field, this.#have, offset, offset + n);
      this.#have += n;
      offset += n;
      this.#offset = offset;
      if (this.#have === this.#need) {
        this.#have = 0;
        this.#onField();
      }
    }
    return this.#ends;
  }

  #expect(kind: Field, bytes: number): void {
    this.#kind = kind;
    this.#need = bytes;
  }

  #skipThen(bytes: number, next: () => void): void {
    if (bytes === 0) {
      next();
      return;
    }
    this.#skip = bytes;
    this.#afterSkip = next;
  }

  #endFrame = (): void => {
    this.#frames += 1;
    this.#ends.push(this.#offset);
    this.#expect('magic', 4);
  };

  #nextBlock = (): void => this.#expect('block-header', 3);

  #onField(): void {
    const f = this.#field;
    switch (this.#kind) {
      case 'magic': {
        const magic = f.readUInt32LE(0);
        if (magic === ZSTD_MAGIC) this.#expect('descriptor', 1);
        else if (magic >>> 4 === SKIPPABLE_MAGIC_HIGH) this.#expect('skippable-size', 4);
        else throw damaged(this.#frames === 0 ? 'it is not zstd-compressed' : 'unexpected bytes after a frame');
        return;
      }
      case 'skippable-size':
        this.#kind = 'magic';
        this.#skipThen(f.readUInt32LE(0), this.#endFrame);
        return;
      case 'descriptor': {
        const d = frameDescriptor(f[0]!);
        if (d.reservedSet) throw damaged('a frame header has its reserved bit set');
        this.#checksum = d.checksum;
        this.#kind = 'block-header';
        this.#need = 3;
        this.#skipThen(d.windowBytes + d.dictBytes + d.sizeBytes, this.#nextBlock);
        return;
      }
      case 'block-header': {
        const header = f.readUIntLE(0, 3);
        const last = (header & 1) === 1;
        const type = (header >> 1) & 3;
        if (type === 3) throw damaged('a block has the reserved type');
        // An RLE block stores one byte, whatever size it expands to.
        const stored = type === 1 ? 1 : header >>> 3;
        const after = last ? () => this.#skipThen(this.#checksum ? 4 : 0, this.#endFrame) : this.#nextBlock;
        this.#skipThen(stored, after);
        return;
      }
    }
  }
}
