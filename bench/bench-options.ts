import { parseArgs } from 'node:util';

export const SCENARIOS = ['pg-zstd-local', 'pg-gzip-local', 'pg-zstd-s3', 'mariadb-zstd-local', 'pg-zstd-restore', 'pg-zstd-restore-jobs', 'pg-zstd-restore-force', 'mariadb-zstd-restore', 'mariadb-zstd-restore-force'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  /** Target size of the uncompressed dump, in bytes. */
  sizeBytes: number;
  /** The size as typed, normalised (`1GiB`): it names the generated databases. */
  sizeLabel: string;
  scenarios: ScenarioName[];
  /** Measured runs per pipeline after the warm-up; the median is reported. */
  runs: number;
}

export const USAGE = `npm run bench -- [--size 1GiB] [--scenarios ${SCENARIOS.join(',')}] [--runs 3]

  --size       size of the uncompressed dump to generate, back up and restore (KiB, MiB, GiB; default 1GiB)
  --scenarios  comma-separated subset of: ${SCENARIOS.join(', ')}
  --runs       measured runs per pipeline, after one warm-up run each (default 3; the median is kept)`;

const UNITS: Record<string, number> = { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, kb: 1e3, mb: 1e6, gb: 1e9 };

export function parseSize(text: string): { bytes: number; label: string } {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]i?b|b)$/i.exec(text.trim());
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new Error(`--size must look like 200MiB, 1GiB or 4GiB (got "${text}").`);
  const bytes = Math.round(Number(match[1]) * unit);
  if (bytes < 16 * 1024 ** 2) throw new Error('--size must be at least 16MiB: smaller dumps measure start-up time, not throughput.');
  return { bytes, label: `${match[1]}${match[2]!.toLowerCase()}`.replace('.', '_') };
}

export function parseBenchOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      size: { type: 'string', default: '1GiB' },
      scenarios: { type: 'string', default: SCENARIOS.join(',') },
      runs: { type: 'string', default: '3' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const size = parseSize(values.size);
  const scenarios = values.scenarios.split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of scenarios) {
    if (!(SCENARIOS as readonly string[]).includes(s)) throw new Error(`Unknown scenario "${s}": choose from ${SCENARIOS.join(', ')}.`);
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 9) throw new Error('--runs must be a whole number from 1 to 9.');
  return { sizeBytes: size.bytes, sizeLabel: size.label, scenarios: scenarios as ScenarioName[], runs };
}
