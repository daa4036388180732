import { Writable } from 'node:stream';
import type { ConnectionTestDto } from '../../shared/domain/dto';

/** Human output: aligned columns; scripts use --json instead. */
export function printTable(headers: string[], rows: (string | number | null | undefined)[][]): void {
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined || c === '' ? '-' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  for (const row of cells) {
    process.stdout.write(`${row.map((c, i) => (i === row.length - 1 ? c : (c ?? '').padEnd(widths[i]!))).join('  ')}\n`);
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Key/value lines for `show` commands. */
export function printRecord(record: Record<string, unknown>): void {
  const width = Math.max(...Object.keys(record).map((k) => k.length));
  for (const [k, v] of Object.entries(record)) {
    const text = v === null || v === undefined ? '-' : Array.isArray(v) ? (v.length ? v.join(', ') : '-') : typeof v === 'object' ? JSON.stringify(v) : String(v);
    process.stdout.write(`${k.padEnd(width)}  ${text}\n`);
  }
}

export function emit(json: boolean | undefined, value: unknown, human: () => unknown): void | Promise<void> {
  if (json) printJson(value);
  else return Promise.resolve(human()).then(() => undefined);
}

/** A source's or destination's last connection test, for a list column: "passed 2026-11-30 07:16", "FAILED ...", "not tested". */
export function lastTestCell(test: ConnectionTestDto | null): string {
  if (!test) return 'not tested';
  return `${test.success ? 'passed' : 'FAILED'} ${test.at.slice(0, 16).replace('T', ' ')}`;
}

/** The same, with what the test said, for `show`. */
export function lastTestLine(test: ConnectionTestDto | null): string {
  return test ? `${lastTestCell(test)} UTC: ${test.message}` : 'not tested since its settings were saved';
}

/**
 * Standard output behind a stream of its own: a failed decryption (or download) destroys the pipeline's streams
 * with its error, and process.stdout destroyed so would throw that error from its 'error' handler
 * (main.ts) instead of the failure's exit code. Writes wait for stdout's drain, as a pipe's would.
 */
export function stdoutSink(): Writable {
  return new Writable({
    highWaterMark: 1024 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      if (process.stdout.write(chunk)) callback();
      else process.stdout.once('drain', () => callback());
    },
    final(callback) {
      // Everything written has reached the pipe's buffer once this empty write's callback runs.
      process.stdout.write('', () => callback());
    },
  });
}
