/** Runs and their progress, as the renderer and CLI see them. */
/**
 * `interrupted`: the process running it died (killed, crashed, power cut) before it finished.
 * `skipped`: a scheduled slot that came while the job was still running; nothing was run.
 */
export const RUN_STATUSES = ['running', 'succeeded', 'failed', 'cancelled', 'interrupted', 'skipped'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export type RunStage = 'pre-hook' | 'plan' | 'dump' | 'compress' | 'encrypt' | 'upload' | 'manifest';
/** A stage as words: "the run failed while dumping". */
export const STAGE_WORDS: Record<RunStage, string> = {
  'pre-hook': 'running the pre-run hook',
  plan: 'planning',
  dump: 'dumping',
  compress: 'compressing',
  encrypt: 'encrypting',
  upload: 'uploading',
  manifest: 'writing the manifest',
};
export type RunTrigger = 'manual' | 'schedule' | 'catch-up' | 'quickstart';

export interface RunDestinationResult {
  destinationId: string;
  name: string;
  ok: boolean;
  /** Where the object is: a path, s3:// URL or sftp:// URL. */
  location: string | null;
  error: string | null;
}

export interface RunObjectDto {
  database: string;
  kind: 'database' | 'globals';
  key: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  /** Bytes the dump tool produced. */
  bytesIn: number;
  /** Bytes stored (after compression and encryption). */
  size: number;
  sha256: string | null;
  destinations: RunDestinationResult[];
}

export interface RunErrorDto {
  stage: RunStage;
  code: string;
  message: string;
  destination?: string;
}

/** What retention did at one destination after a successful run. */
export interface RunRetentionDto {
  destinationId: string;
  destination: string;
  /** Backups of the job left at the destination: pinned ones and the one just made included. */
  kept: number;
  /** Object keys deleted, each with its manifest. */
  deleted: string[];
  /** Why backups the policy let go are still there (the run itself succeeded); retried after the next successful run. */
  error: { code: string; message: string } | null;
}

/** How a hook command ended. `not-started`: the program was not found or could not be run. */
export type HookOutcome = 'succeeded' | 'failed' | 'timed-out' | 'cancelled' | 'not-started';

/** One hook's execution, kept with the run. */
export interface HookRunDto {
  /** The command as it was run, quoted so it can be pasted into a shell. */
  command: string;
  outcome: HookOutcome;
  exitCode: number | null;
  /** The signal that ended it (a timeout or cancel sends SIGTERM, then SIGKILL). */
  signal: string | null;
  startedAt: string;
  durationMs: number;
  /** Its standard output and error, interleaved as written; only the end is kept when long. */
  output: string;
  /** True when the start of the output was dropped to keep the last 64 KiB. */
  outputTruncated: boolean;
  /** What happened, in words. */
  message: string;
}

export interface RunHooksDto {
  pre?: HookRunDto;
  post?: HookRunDto;
}

export interface RunDto {
  id: string;
  jobId: string | null;
  jobName: string;
  status: RunStatus;
  trigger: RunTrigger;
  startedAt: string;
  finishedAt: string | null;
  bytesIn: number;
  bytesOut: number;
  /** Milliseconds spent per stage, summed over the run's objects. */
  stageMs: Partial<Record<RunStage, number>>;
  objects: RunObjectDto[];
  error: RunErrorDto | null;
  log: { time: string; level: 'info' | 'warn' | 'error'; message: string }[];
  /** Retention after a successful run of a job with a policy, per destination; null when none was applied. */
  retention: RunRetentionDto[] | null;
  /** The job's pre- and post-run hooks, when it has them. */
  hooks: RunHooksDto;
  /**
   * While the run is running: its latest progress report as kept in the store (at most a second
   * old, whichever process runs it), so a page opened mid-run shows it before the next event.
   */
  progress?: RunProgressDto;
}

export interface RunProgressDto {
  runId: string;
  jobName: string;
  stage: RunStage;
  database: string | null;
  objectIndex: number;
  objectCount: number;
  bytesDumped: number;
  bytesStored: number;
}

/**
 * A run that ended without storing anything (failed, cancelled, interrupted or skipped before its
 * first object was kept): its "stored" reads "nothing kept", not "0 B". A running one has not ended.
 */
export function keptNothing(run: Pick<RunDto, 'status' | 'bytesOut'>): boolean {
  return run.status !== 'running' && run.status !== 'succeeded' && run.bytesOut === 0;
}
