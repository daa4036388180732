// A Vaultdesk host process for one measured backup, as the CLI or Electron main would run it:
// the core on this thread, the pipeline in its worker thread. Run as a child of the bench so
// its peak RSS (which includes the worker) and its event loop are measured alone. The core
// runs from the sources here; its worker is the built out/main/pipeline-worker.js, which
// `npm run bench` builds first.
//
//   node bench/vaultdesk-host-launch.mjs DATA_DIR KEY_FILE JOB_NAME RESULT_FILE
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createCore } from '../src/main/core/create-core';
import { createFileKeyStore } from '../src/main/core/keys/env-key';

export interface HostResult {
  status: string;
  /** RSS of the host with the core open, before the run starts. */
  idleRssMiB: number;
  /** From start() to the first progress event: worker start-up, planning, the source's connection test. */
  startupMs: number;
  error: string | null;
  wallMs: number;
  /** CPU time of the host process during the run: main thread, worker thread and libuv's threadpool (zlib, fs). */
  cpuMs: number;
  bytesIn: number;
  bytesOut: number;
  stageMs: Partial<Record<string, number>>;
  /** process.resourceUsage().maxRSS: the whole process, worker thread included. */
  peakRssMiB: number;
  /** RSS sampled every 100 ms during the run, to show it stays flat. */
  rssSamplesMiB: number[];
  eventLoopP50Ms: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
}

/** Event-loop delay sampling resolution: finer than the 10 ms the issue asks for. */
const RESOLUTION_MS = 5;

async function main(): Promise<void> {
  const [dataDir, keyFile, jobName, resultFile] = process.argv.slice(2);
  if (!dataDir || !keyFile || !jobName || !resultFile) throw new Error('usage: vaultdesk-host-launch.mjs DATA_DIR KEY_FILE JOB_NAME RESULT_FILE');
  const core = await createCore({ dataDir, keyStore: createFileKeyStore(keyFile), toolEnv: { PATH: process.env.PATH } });
  try {
    const job = core.jobs.findByName(jobName);
    if (!job) throw new Error(`no job named ${jobName} in ${dataDir}`);
    const idleRssMiB = process.memoryUsage.rss() / 1024 ** 2;
    const rss: number[] = [];
    const sampler = setInterval(() => rss.push(process.memoryUsage.rss() / 1024 ** 2), 100);
    const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    delay.enable();
    const cpu = process.cpuUsage();
    const started = performance.now();
    let startupMs = -1;
    const off = core.events.on('runs:progress', () => {
      if (startupMs < 0) startupMs = performance.now() - started;
    });
    const run = await core.runService.start(job.id, 'manual').finished;
    off();
    const wallMs = performance.now() - started;
    const cpuUsed = process.cpuUsage(cpu);
    delay.disable();
    clearInterval(sampler);
    const ms = (ns: number): number => ns / 1e6;
    const result: HostResult = {
      status: run.status,
      idleRssMiB,
      startupMs,
      error: run.error ? `[${run.error.code}] stage ${run.error.stage}: ${run.error.message}` : null,
      wallMs,
      cpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
      bytesIn: run.bytesIn,
      bytesOut: run.bytesOut,
      stageMs: run.stageMs,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      rssSamplesMiB: rss.map((v) => Math.round(v)),
      eventLoopP50Ms: ms(delay.percentile(50)),
      eventLoopP99Ms: ms(delay.percentile(99)),
      eventLoopMaxMs: ms(delay.max),
    };
    writeFileSync(resultFile, JSON.stringify(result));
  } finally {
    core.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
