import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPipeline, spawnTracked } from './bench-process';
import type { BenchDatabase } from './bench-db';
import type { BenchWorkspace } from './bench-setup';
import type { Scenario } from './scenarios';
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
  /** Wall times of the dump tool alone into /dev/null. */
  limitMs: number[];
}

/** One backup in a fresh host process (so its peak RSS is its own); fails loudly unless the run succeeded. */
export function runVaultdesk(ws: BenchWorkspace, job: string): Promise<HostResult> {
  const resultFile = path.join(ws.dir, 'host-result.json');
  rmSync(resultFile, { force: true });
  return new Promise((resolve, reject) => {
    const child = spawnTracked(process.execPath, [HOST, ws.dataDir, ws.keyFile, job, resultFile], { cwd: REPO, stdio: ['ignore', 'inherit', 'pipe'] });
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

export async function runBaseline(ws: BenchWorkspace, scenario: Scenario, db: BenchDatabase, round: string): Promise<BaselineRun> {
  const command = await scenario.baseline(ws, db, round);
  const result = await runPipeline(command.script, command.args, command.env);
  return { wallMs: result.wallMs, storedBytes: await command.storedBytes() };
}

export async function runLimit(scenario: Scenario, db: BenchDatabase): Promise<number> {
  const command = scenario.limit(db);
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
  const job = scenario.job(db).name;
  const m: ScenarioMeasurement = { scenario, database: db, vaultdesk: [], baseline: [], limitMs: [] };
  const vaultdesk = async (count: boolean): Promise<void> => {
    const r = await runVaultdesk(ws, job);
    ws.clearOutputs();
    log(`  vaultdesk ${count ? '' : '(warm-up) '}${(r.wallMs / 1000).toFixed(1)} s, peak RSS ${r.peakRssMiB.toFixed(0)} MiB, event-loop p99 ${r.eventLoopP99Ms.toFixed(1)} ms`);
    if (count) m.vaultdesk.push(r);
  };
  const baseline = async (round: string, count: boolean): Promise<void> => {
    const r = await runBaseline(ws, scenario, db, round);
    ws.clearOutputs();
    log(`  baseline  ${count ? '' : '(warm-up) '}${(r.wallMs / 1000).toFixed(1)} s`);
    if (count) m.baseline.push(r);
  };
  const limit = async (count: boolean): Promise<void> => {
    const wallMs = await runLimit(scenario, db);
    log(`  limit     ${count ? '' : '(warm-up) '}${(wallMs / 1000).toFixed(1)} s`);
    if (count) m.limitMs.push(wallMs);
  };
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
  return m;
}
