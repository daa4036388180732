import { Transform, type Readable } from 'node:stream';
import { AppError } from '../../../shared/ipc/result';

/** A pass-through that counts the bytes going by and reports them. */
export class ByteCounter extends Transform {
  bytes = 0;

  constructor(private readonly onProgress?: (bytes: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null, data?: Buffer) => void): void {
    this.bytes += chunk.length;
    this.onProgress?.(this.bytes);
    callback(null, chunk);
  }
}

/**
 * Tells "the input failed" (the dump or the encryption: its own error says what happened, so it
 * is rethrown unchanged) from "the destination failed" (mapped to a DESTINATION_* code). Once a
 * pipeline fails it destroys every stream with the same error, so only the first failure to be
 * seen says where it started.
 */
export class FailureOrigin {
  first: { side: 'input' | 'sink'; error: unknown } | null = null;

  watch(stream: NodeJS.EventEmitter, side: 'input' | 'sink'): this {
    stream.on('error', (error: unknown) => this.record(side, error));
    return this;
  }

  record(side: 'input' | 'sink', error: unknown): void {
    if (this.first === null) this.first = { side, error: error ?? new Error(`${side} stream failed`) };
  }
}

export function cancelled(what: string): AppError {
  return new AppError('CANCELLED', `${what} was cancelled; nothing was kept.`);
}

/** Decides how a failed put is reported: cancel, the input's own error, or the driver's mapping. */
export function putFailure(error: unknown, opts: { signal?: AbortSignal | undefined; origin: FailureOrigin; what: string; map: (e: unknown) => AppError }): unknown {
  if (opts.signal?.aborted) return cancelled(opts.what);
  const first = opts.origin.first;
  if (first?.side === 'input') return first.error;
  const cause = first?.error ?? error;
  return cause instanceof AppError ? cause : opts.map(cause);
}

/** Destroys `stream` when `signal` fires; returns the detach function. */
export function destroyOnAbort(stream: Readable, signal: AbortSignal | undefined, what: string): () => void {
  if (!signal) return () => {};
  const onAbort = (): void => {
    stream.destroy(cancelled(what));
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}
