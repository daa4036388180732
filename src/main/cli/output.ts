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
