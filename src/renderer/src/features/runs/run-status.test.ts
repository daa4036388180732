import { describe, expect, it } from 'vitest';
import type { RunDto } from '../../../../shared/domain/runs';
import { describeRunError, describeRunOutcome, progressObject, progressPercent, progressWords, runDuration, runSummary } from './run-status';

const now = new Date('2025-06-01T12:00:00Z');

function run(overrides: Partial<RunDto>): RunDto {
  return {
    id: 'r1',
    jobId: 'j1',
    jobName: 'nightly',
    status: 'succeeded',
    trigger: 'manual',
    startedAt: '2025-06-01T11:56:00Z',
    finishedAt: '2025-06-01T11:57:00Z',
    bytesIn: 0,
    bytesOut: 0,
    stageMs: {},
    objects: [],
    error: null,
    log: [],
    retention: null,
    hooks: {},
    ...overrides,
  };
}

describe('run status in words', () => {
  it('says the outcome and how long ago it ended', () => {
    expect(runSummary(run({}), now)).toBe('succeeded 3 min ago');
    expect(runSummary(run({ status: 'failed', finishedAt: '2025-06-01T11:59:50Z' }), now)).toBe('failed just now');
    expect(runSummary(run({ status: 'running', finishedAt: null }), now)).toBe('running, started 4 min ago');
    expect(runDuration(run({}), now)).toBe('1 min');
    expect(runDuration(run({ status: 'running', finishedAt: null, startedAt: '2025-06-01T11:59:30Z' }), now)).toBe('30 s');
  });

  it('names the kind of error, the stage and the destination, and keeps the core message', () => {
    const locked = describeRunError({ stage: 'plan', code: 'DESTINATION_LOCKED', message: 'Destination "nas" is locked, so no run may use it.', destination: 'nas' });
    expect(locked).toEqual({ headline: 'Destination locked (while planning, destination nas)', message: 'Destination "nas" is locked, so no run may use it.' });
    expect(describeRunError({ stage: 'dump', code: 'DUMP_FAILED', message: 'pg_dump exited with code 1' }).headline).toBe('Dump failed (while dumping)');
    expect(describeRunError({ stage: 'upload', code: 'SOMETHING_NEW', message: 'x' }).headline).toBe('Something new (while uploading)');
  });
});

describe('progress', () => {
  it('numbers the object only when there are several', () => {
    expect(progressObject({ database: 'sales', objectIndex: 1, objectCount: 3 })).toBe('sales (2 of 3)');
    expect(progressObject({ database: 'app', objectIndex: 0, objectCount: 1 })).toBe('app');
  });

  it('grows with the objects done and the stage of the current one, never past 100', () => {
    const seen = [
      progressPercent({ stage: 'dump', objectIndex: 0, objectCount: 2 }),
      progressPercent({ stage: 'upload', objectIndex: 0, objectCount: 2 }),
      progressPercent({ stage: 'dump', objectIndex: 1, objectCount: 2 }),
      progressPercent({ stage: 'manifest', objectIndex: 1, objectCount: 2 }),
    ];
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(seen[3]).toBeLessThanOrEqual(100);
    expect(progressPercent({ stage: 'plan', objectIndex: 0, objectCount: 0 })).toBe(0);
  });
});

describe('describeRunOutcome', () => {
  it('says why a skipped slot and an interrupted run did not back anything up, and nothing for a success', () => {
    const skipped = describeRunOutcome(run({ status: 'skipped', error: { stage: 'plan', code: 'RUN_IN_PROGRESS', message: 'The 02:00 slot came while run 42 of the job was still going.' } }));
    expect(skipped).toEqual({ headline: 'Skipped: the job was still running', message: 'The 02:00 slot came while run 42 of the job was still going.' });
    const interrupted = describeRunOutcome(run({ status: 'interrupted', error: { stage: 'dump', code: 'INTERRUPTED', message: 'The run did not finish: the process running it (pid 7) stopped.' } }));
    expect(interrupted).toEqual({ headline: 'Interrupted: Vaultdesk stopped during the run (while dumping)', message: 'The run did not finish: the process running it (pid 7) stopped.' });
    expect(describeRunOutcome(run({}))).toBeNull();
    expect(describeRunOutcome(run({ status: 'running', finishedAt: null }))).toBeNull();
  });
});

describe('progressWords', () => {
  it('names the database being worked on, and only the stage while the pre-run hook runs', () => {
    expect(progressWords({ stage: 'dump', database: 'sales', objectIndex: 1, objectCount: 3 })).toBe('dumping sales (2 of 3)');
    expect(progressWords({ stage: 'upload', database: 'shop', objectIndex: 0, objectCount: 1 })).toBe('uploading shop');
    expect(progressWords({ stage: 'pre-hook', database: null, objectIndex: 0, objectCount: 0 })).toBe('running the pre-run hook');
  });
});
