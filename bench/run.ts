// `npm run bench`: Vaultdesk's backup pipeline against the shell pipeline a DBA would use.
// See README.md, "Performance", for what it measures and how to read it.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { probeCommand } from '../src/main/core/testing/services';
import { parseBenchOptions, USAGE, type BenchOptions } from './bench-options';
import { stopAll } from './bench-process';
import type { BenchDatabase } from './bench-db';
import { createWorkspace } from './bench-setup';
import { ensureMariadbBenchDb } from './mariadb-bench-db';
import { measureScenario } from './measure';
import { ensurePgBenchDb } from './pg-bench-db';
import { describeOptions, formatTable, machineInfo, restoreNote, summarise, writeReport, type BenchReport, type ScenarioResult } from './report';
import { SCENARIO_DEFS } from './scenarios';

const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

const started = Date.now();
const log = (line: string): void => {
  process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}\n`);
};

function checkTools(options: BenchOptions): void {
  const scenarios = options.scenarios.map((s) => SCENARIO_DEFS[s]);
  const needed = ['age', 'zstd', 'gzip', 'bash'];
  if (scenarios.some((s) => s.engine === 'postgres')) needed.push('pg_dump');
  if (scenarios.some((s) => s.engine === 'mysql')) needed.push('mariadb-dump');
  if (scenarios.some((s) => s.kind === 'restore' && s.engine === 'postgres')) needed.push('pg_restore', 'createdb', 'dropdb');
  if (scenarios.some((s) => s.kind === 'restore' && s.engine === 'mysql')) needed.push('mariadb');
  if (options.scenarios.includes('pg-zstd-s3')) needed.push('aws');
  const missing = needed.map((tool) => probeCommand(tool, ['--version'])).filter((reason) => reason !== null);
  if (missing.length > 0) throw new Error(`The benchmark needs these tools on PATH:\n  ${missing.join('\n  ')}`);
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  checkTools(options);
  let cleanup = async (): Promise<void> => undefined;
  const stop = (signal: NodeJS.Signals): void => {
    process.stderr.write(`\n${signal}: stopping and cleaning up\n`);
    stopAll();
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const machine = machineInfo();
  const startedAt = new Date().toISOString();
  log(`${machine.cpus} x ${machine.cpuModel}, ${machine.memoryGiB} GiB RAM, Node ${machine.node}, load average ${machine.loadAverageAtStart.join(' ')}`);
  const engines = new Set(options.scenarios.map((s) => SCENARIO_DEFS[s].engine));
  const databases: Partial<Record<'postgres' | 'mysql', BenchDatabase>> = {};
  if (engines.has('postgres')) databases.postgres = await ensurePgBenchDb(options.sizeLabel, options.sizeBytes, log);
  if (engines.has('mysql')) databases.mysql = await ensureMariadbBenchDb(options.sizeLabel, options.sizeBytes, log);

  const scenarios = options.scenarios.map((s) => SCENARIO_DEFS[s]);
  const ws = await createWorkspace(scenarios.map((s) => s.job(databases[s.engine]!)));
  cleanup = () => ws.close();
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of scenarios) {
      log(`${scenario.name}: Vaultdesk vs ${scenario.baselineLabel}, limit ${scenario.limitLabel}`);
      const measured = await measureScenario(ws, scenario, databases[scenario.engine]!, options.runs, log);
      results.push(summarise(measured));
    }
  } finally {
    cleanup = async () => undefined;
    await ws.close();
  }

  const report: BenchReport = {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: { ...machine, loadAverageAtEnd: os.loadavg().map((v) => Number(v.toFixed(2))) },
    options: describeOptions(options),
    method:
      'Each pipeline (Vaultdesk, the shell baseline, and the limit: the dump tool alone into /dev/null) ran once as a warm-up, then ' +
      `${options.runs} measured rounds rotating which side goes first; medians of wall time. MB/s = uncompressed dump bytes / 10^6 / seconds; ofLimit = Vaultdesk MB/s / limit MB/s. ` +
      'Vaultdesk runs in a fresh host process per run (peak RSS = its maxRSS, worker thread included; dump tools are separate processes and not counted); ' +
      'its time runs from starting the run to its final record, worker start-up included.',
    restore: restoreNote(results),
    scenarios: results,
  };
  process.stdout.write(`\n${formatTable(results)}\n\n${report.restore.reason}\n`);
  log(`results written to ${path.relative(process.cwd(), writeReport(RESULTS_DIR, report))}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
