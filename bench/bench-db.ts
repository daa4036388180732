/** Bump when a generator's tables or rows change: databases made by an older one are rebuilt. */
export const GENERATOR_VERSION = 1;

/** Share of the dump's bytes per table: text and numbers, JSON, incompressible bytes. */
export const SHARES = { orders: 0.4, events: 0.35, attachments: 0.25 } as const;
export type TableShare = keyof typeof SHARES;

export interface BenchDatabase {
  engine: 'postgres' | 'mysql';
  name: string;
  /** Size of the uncompressed dump, measured with the dump tool when the database was made. */
  dumpBytes: number;
}

export interface Batch {
  table: TableShare;
  from: number;
  to: number;
}

/** Roughly this many dump bytes per INSERT ... SELECT, so progress shows and no statement runs for minutes. */
const BATCH_BYTES = 48 * 1024 * 1024;

/**
 * The inserts that bring each table to its share of `targetBytes`, given the dump bytes per
 * row measured on a first sample of `sampleRows` rows already inserted (ids 1..sampleRows).
 */
export function planRows(targetBytes: number, rowBytes: Record<string, number>, sampleRows: number): Batch[] {
  const planned: { batch: Batch; progress: number }[] = [];
  for (const [table, share] of Object.entries(SHARES) as [TableShare, number][]) {
    const perRow = rowBytes[table]!;
    const total = Math.max(sampleRows, Math.round((targetBytes * share) / perRow));
    const step = Math.max(1000, Math.floor(BATCH_BYTES / perRow));
    for (let from = sampleRows + 1; from <= total; from += step) planned.push({ batch: { table, from, to: Math.min(total, from + step - 1) }, progress: from / total });
  }
  // Interleave the tables so the two connections are not both stuck on the slowest generator.
  return planned.sort((a, b) => a.progress - b.progress).map((p) => p.batch);
}

/** Runs the planned inserts on two connections at once (one per core here). */
export async function runBatches(batches: Batch[], insert: (t: TableShare, from: number, to: number) => Promise<unknown>, log: (line: string) => void): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const b = batches[next++]!;
      await insert(b.table, b.from, b.to);
      done += 1;
      if (done % 10 === 0 || done === batches.length) log(`  ${done}/${batches.length} batches`);
    }
  };
  await Promise.all([worker(), worker()]);
}
