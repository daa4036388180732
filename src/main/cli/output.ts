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
