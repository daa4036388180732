import { describe, expect, it } from 'vitest';
import { nextSteps, type NextStepsInput } from './next-steps';

const job = (name: string, fields: Partial<NextStepsInput['jobs'][number]> = {}): NextStepsInput['jobs'][number] => ({ id: `id-${name}`, name, scheduled: true, enabled: true, hasRuns: true, ...fields });

function steps(fields: Partial<NextStepsInput>): string[] {
  return nextSteps({ sources: 1, destinations: 1, jobs: [job('nightly')], schedulesPaused: false, schedulerRunning: true, ...fields }).map((s) => s.kind);
}

describe('nextSteps', () => {
  it('walks a new user through a source, a destination and a job', () => {
    expect(steps({ sources: 0, destinations: 0, jobs: [] })).toEqual(['add-source', 'add-destination', 'add-job']);
    expect(steps({ destinations: 0, jobs: [] })).toEqual(['add-destination', 'add-job']);
    expect(steps({ jobs: [] })).toEqual(['add-job']);
  });

  it('asks to run the jobs that never ran, naming them', () => {
    const result = nextSteps({ sources: 1, destinations: 1, jobs: [job('a', { hasRuns: false }), job('b'), job('c', { hasRuns: false })], schedulesPaused: false, schedulerRunning: true });
    expect(result).toEqual([{ kind: 'run-job', jobs: [{ id: 'id-a', name: 'a' }, { id: 'id-c', name: 'c' }] }]);
  });

  it('suggests a schedule when no job has one that runs', () => {
    expect(steps({ jobs: [job('a', { scheduled: false })] })).toEqual(['add-schedule']);
    expect(steps({ jobs: [job('a', { enabled: false })] })).toEqual(['add-schedule']);
    // Nothing to resume or start when no schedule would run anyway.
    expect(steps({ jobs: [job('a', { scheduled: false })], schedulesPaused: true, schedulerRunning: false })).toEqual(['add-schedule']);
  });

  it('says when the schedules are paused, and when nothing is open that runs them', () => {
    expect(steps({ schedulesPaused: true })).toEqual(['resume-schedules']);
    expect(nextSteps({ sources: 1, destinations: 1, jobs: [job('a'), job('b', { scheduled: false }), job('c')], schedulesPaused: false, schedulerRunning: false })).toEqual([
      { kind: 'start-scheduler', scheduledJobs: 2 },
    ]);
    expect(steps({ schedulesPaused: true, schedulerRunning: false })).toEqual(['resume-schedules', 'start-scheduler']);
  });

  it('is empty when everything is set up and running', () => {
    expect(steps({})).toEqual([]);
  });
});
