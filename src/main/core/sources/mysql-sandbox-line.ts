import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import type { ToolVersion } from './client-tools';

/*
 * mariadb-dump's releases of May 2024 on (10.5.25, 10.6.18, 10.11.8, 11.0.6, 11.1.5, 11.2.4,
 * 11.4.2, and every later one) open a dump with `/*M!999999\- enable the sandbox mode *\/`: a
 * client that knows it stops obeying client commands (`\!`, `system`, `source`) for the rest of
 * the input. MySQL's own client and older MariaDB clients do not know the `\-` command and stop
 * at line 1 ("Unknown command '\-'"), so a backup of a current MariaDB would not restore with
 * them at all. For those clients the line is left out: it protects nothing there.
 */

/** The first release of each MariaDB series whose client reads the sandbox line. */
const FIRST_WITH_SANDBOX: Readonly<Record<string, number>> = { '10.5': 25, '10.6': 18, '10.11': 8, '11.0': 6, '11.1': 5, '11.2': 4, '11.4': 2 };

/** Whether this client reads the sandbox line (MariaDB's from the releases above on; never MySQL's). */
export function readsSandboxLine(client: ToolVersion): boolean {
  if (client.flavor !== 'mariadb') return false;
  const [major = 0, minor = 0, patch = 0] = client.parts;
  if (major > 11 || (major === 11 && minor >= 5)) return true;
  const first = FIRST_WITH_SANDBOX[`${major}.${minor}`];
  return first !== undefined && patch >= first;
}

const SANDBOX_LINE = /^\/\*M!999999\\- enable the sandbox mode \*\/ *\r?$/;
/** A first line longer than this is not the sandbox line: the stream goes on as it is. */
const MAX_LINE = 128;

/** Drops a first line that is the sandbox line, and passes every other byte on as it came. */
class SandboxLineFilter extends Transform {
  /** What came before the first line was decided; null once it was. */
  #head: Buffer | null = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.#head === null) return done(null, chunk);
    const head = this.#head.length === 0 ? chunk : Buffer.concat([this.#head, chunk]);
    const end = head.subarray(0, MAX_LINE + 1).indexOf(0x0a);
    if (end === -1 && head.length <= MAX_LINE) {
      this.#head = head;
      return done();
    }
    this.#head = null;
    done(null, end !== -1 && SANDBOX_LINE.test(head.subarray(0, end).toString('latin1')) ? head.subarray(end + 1) : head);
  }

  override _flush(done: TransformCallback): void {
    const rest = this.#head;
    this.#head = null;
    done(null, rest && rest.length > 0 ? rest : undefined);
  }
}

/** The dump as `client` can read it: without the sandbox line when the client does not know it. */
export function dumpForClient(input: Readable, client: ToolVersion): Readable {
  if (readsSandboxLine(client)) return input;
  // Either end failing or being destroyed ends the other, as one stream would.
  return pipeline(input, new SandboxLineFilter(), () => undefined);
}
