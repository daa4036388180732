import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPipeline, spawnTracked } from './bench-process';
import type { BenchDatabase } from './bench-db';
import type { BenchWorkspace } from './bench-setup';
import { cleanUpRestore, prepareRestore } from './restore-fixture';
import type { RestoreFixture, Scenario } from './scenarios';
import type { HostResult } from './vaultdesk-host';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOST = path.join(REPO, 'bench', 'vaultdesk-host-launch.mjs');

export interface BaselineRun {
  wallMs: number;
  storedBytes: number;
}

export interface ScenarioMeasurement {
  scenario: Scenario;
  database: BenchDatabase;
  vaultdesk: HostResult[];
  baseline: BaselineRun[];
  /** Wall times of the limit: the dump tool alone into /dev/null, or the restore tool alone from a plain file. */
  limitMs: number[];
  /** A restore's dump bytes (the backup's); a backup's come from its runs. */
  dumpBytes: number | null;
}

/** One backup or restore in a fresh host process (so its peak RSS is its own); fails loudly unless it succeeded. */
export function runVaultdesk(ws: BenchWorkspace, task: string[]): Promise<HostResult> {
  const resultFile = path.join(ws.dir, 'host-result.json');
  rmSync(resultFile, { force: true });
  return new Promise((resolve, reject) => {
    const child = spawnTracked(process.execPath, [HOST, ws.dataDir, ws.keyFile, resultFile, ...task], { cwd: REPO, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4096);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`the Vaultdesk host exited with code ${String(code)}: ${stderr.trim()}`));
      const result = JSON.parse(readFileSync(resultFile, 'utf8')) as HostResult;
      if (result.status !== 'succeeded') return reject(new Error(`the Vaultdesk run ${result.status}: ${result.error ?? 'no error recorded'}`));
      resolve(result);
    });
  });
}

export async function runBaseline(ws: BenchWorkspace, scenario: Scenario, db: BenchDatabase, round: string, fixture: RestoreFixture | null): Promise<BaselineRun> {
  const command = await scenario.baseline(ws, db, round, fixture);
  const result = await runPipeline(command.script, command.args, command.env);
  return { wallMs: result.wallMs, storedBytes: await command.storedBytes() };
}

export async function runLimit(ws: BenchWorkspace, scenario: Scenario, db: BenchDatabase, fixture: RestoreFixture | null): Promise<number> {
  const command = scenario.limit(ws, db, fixture);
  return (await runPipeline(command.script, [], command.env)).wallMs;
}

type Side = 'vaultdesk' | 'baseline' | 'limit';
const SIDES: Side[] = ['baseline', 'vaultdesk', 'limit'];

/** Round i starts SIDES at i: over three rounds each side has been first, second and last once. */
function roundOrder(round: number): Side[] {
  return SIDES.map((_, k) => SIDES[(round + k) % SIDES.length]!);
}

/**
 * One warm-up run of each pipeline (not counted: it fills the page cache and tsx's transform
 * cache), then `runs` rounds that rotate which side goes first, so a slow drift in the
 * machine's load does not favour any side.
 */
export async function measureScenario(ws: BenchWorkspace, scenario: Scenario, db: BenchDatabase, runs: number, log: (line: string) => void): Promise<ScenarioMeasurement> {
  const fixture = scenario.kind === 'restore' ? await prepareRestore(ws, scenario, db, (task) => runVaultdesk(ws, task)) : null;
  if (fixture) log(`  restoring backup ${fixture.backupId} (${(fixture.storedBytes / 1024 ** 2).toFixed(0)} MiB stored)`);
  // A restore reads the one backup every run; a backup's output is removed after each run.
  const clear = (): void => {
    if (!fixture) ws.clearOutputs();
  };
  const task = scenario.task(db, fixture);
  const m: ScenarioMeasurement = { scenario, database: db, vaultdesk: [], baseline: [], limitMs: [], dumpBytes: fixture?.dumpBytes ?? null };
  const settle = async (side: Side): Promise<void> => {
    const reset = scenario.reset?.[side];
    if (reset) await runPipeline(reset.script, [], reset.env);
    if (scenario.settle) await runPipeline(scenario.settle.script, [], scenario.settle.env);
  };
  const vaultdesk = async (count: boolean): Promise<void> => {
    await settle('vaultdesk');
    const r = await runVaultdesk(ws, task);
    clear();
    log(`  vaultdesk ${count ? '' : '(warm-up) '}${(r.wallMs / 1000).toFixed(1)} s, peak RSS ${r.peakRssMiB.toFixed(0)} MiB, event-loop p99 ${r.eventLoopP99Ms.toFixed(1)} ms`);
    if (count) m.vaultdesk.push(r);
  };
  const baseline = async (round: string, count: boolean): Promise<void> => {
    await settle('baseline');
    const r = await runBaseline(ws, scenario, db, round, fixture);
    clear();
    log(`  baseline  ${count ? '' : '(warm-up) '}${(r.wallMs / 1000).toFixed(1)} s`);
    if (count) m.baseline.push(r);
  };
  const limit = async (count: boolean): Promise<void> => {
    await settle('limit');
    const wallMs = await runLimit(ws, scenario, db, fixture);
    log(`  limit     ${count ? '' : '(warm-up) '}${(wallMs / 1000).toFixed(1)} s`);
    if (count) m.limitMs.push(wallMs);
  };
  try {
    await vaultdesk(false);
    await baseline('warmup', false);
    await limit(false);
    for (let i = 0; i < runs; i++) {
      for (const side of roundOrder(i)) {
        if (side === 'vaultdesk') await vaultdesk(true);
        else if (side === 'baseline') await baseline(String(i), true);
        else await limit(true);
      }
    }
  } finally {
    if (fixture) await cleanUpRestore(ws, scenario, fixture);
  }
  return m;
}
