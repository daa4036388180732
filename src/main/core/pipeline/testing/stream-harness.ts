import { Readable, Writable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Feeds `input` in `pieceSize` slices (odd sizes exercise chunk boundaries). */
export function sliced(input: Buffer, pieceSize = 65536): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= input.length) {
        this.push(null);
        return;
      }
      this.push(input.subarray(offset, offset + pieceSize));
      offset += pieceSize;
    },
  });
}

export interface TransformOutcome {
  output: Buffer;
  error: unknown;
}

/** Runs a transform to the end; on failure keeps whatever it released before the error. */
export async function runTransform(transform: Transform, input: Buffer, pieceSize?: number): Promise<TransformOutcome> {
  const parts: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      parts.push(chunk);
      callback();
    },
  });
  try {
    await pipeline(sliced(input, pieceSize), transform, sink);
    return { output: Buffer.concat(parts), error: null };
  } catch (error) {
    return { output: Buffer.concat(parts), error };
  }
}

/** Runs a transform and returns its output, rethrowing its error. */
export async function transformAll(transform: Transform, input: Buffer, pieceSize?: number): Promise<Buffer> {
  const { output, error } = await runTransform(transform, input, pieceSize);
  if (error !== null) throw error;
  return output;
}
