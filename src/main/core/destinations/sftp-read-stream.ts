import { Readable } from 'node:stream';
import { remoteCall, type Remote } from './sftp-files';

/** What OpenSSH's sftp-server answers in one packet (its limits@openssh.com read length). */
const REQUEST = 255 * 1024;
/** Reads asked for ahead of the one the reader waits for: enough to keep a long link busy. */
const AHEAD = 16;

interface Request {
  position: number;
  length: number;
  data: Promise<Buffer>;
}

/**
 * Reads `size` bytes of `file` with up to AHEAD reads in flight, handed on in order. One read at a
 * time (ssh2's createReadStream) waits a round trip for every 255 KiB: over a WAN link (30 ms) that
 * was about 8 MB/s whatever the bandwidth. Each read has the session's deadline, so a server that
 * stops answering fails the stream instead of holding it for good; a short read (only at the end of
 * a file from OpenSSH, but any server may) is read on from where it stopped. A file that ends
 * before `size` fails the stream: the bytes read are a cut backup, not a whole one. Failures reach
 * the reader as `mapError` words them.
 */
export function sftpReadStream(remote: Remote, file: string, size: number, mapError: (error: unknown) => Error = (e) => e as Error): Readable {
  let handle: Buffer | null = null;
  let next = 0;
  let pumping = false;
  const queue: Request[] = [];

  const request = (position: number, length: number): Request => {
    const buffer = Buffer.allocUnsafe(length);
    const data = remoteCall<Buffer>(remote, `read ${file}`, (sftp, cb) => sftp.read(handle!, buffer, 0, length, position, (error, got) => cb(error, buffer.subarray(0, got))));
    // Awaited in order below; one read ahead of a failure or a destroyed stream is never awaited.
    data.catch(() => undefined);
    return { position, length, data };
  };
  const fill = (): void => {
    while (queue.length < AHEAD && next < size) {
      const length = Math.min(REQUEST, size - next);
      queue.push(request(next, length));
      next += length;
    }
  };

  const stream = new Readable({
    highWaterMark: REQUEST,
    construct(callback) {
      remoteCall<Buffer>(remote, `open ${file}`, (sftp, cb) => sftp.open(file, 'r', cb)).then(
        (opened) => {
          handle = opened;
          callback();
        },
        (error: unknown) => callback(mapError(error)),
      );
    },
    read() {
      if (pumping) return;
      pumping = true;
      void pump().finally(() => (pumping = false));
    },
    destroy(error, callback) {
      if (!handle) return callback(error);
      const opened = handle;
      handle = null;
      // Closed without waiting: a server that stopped answering would hold the error back.
      remote.sftp.close(opened, () => undefined);
      callback(error);
    },
  });

  async function pump(): Promise<void> {
    try {
      for (;;) {
        fill();
        const head = queue.shift();
        if (!head) {
          stream.push(null);
          return;
        }
        const chunk = await head.data;
        if (stream.destroyed) return;
        if (chunk.length === 0) throw new Error(`${file} ended after ${head.position} of its ${size} bytes`);
        if (chunk.length < head.length) queue.unshift(request(head.position + chunk.length, head.length - chunk.length));
        if (!stream.push(chunk)) return;
      }
    } catch (error) {
      stream.destroy(mapError(error));
    }
  }

  return stream;
}
