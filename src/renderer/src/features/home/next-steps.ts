/** What the home page tells a DBA to do next, most pressing first. */
export type NextStep =
  | { kind: 'add-source' }
  | { kind: 'add-destination' }
  | { kind: 'add-job' }
  | { kind: 'run-job'; jobs: { id: string; name: string }[] }
  | { kind: 'add-schedule' }
  | { kind: 'resume-schedules' }
  | { kind: 'start-scheduler'; scheduledJobs: number };

export interface NextStepsInput {
  sources: number;
  destinations: number;
  /** hasRuns: a run here, or a backup of the job this data dir knows (a system import brings no runs). */
  jobs: { id: string; name: string; scheduled: boolean; enabled: boolean; hasRuns: boolean }[];
  schedulesPaused: boolean;
  /** Some process (the app, `vaultdesk daemon`) runs the schedules of this data dir. */
  schedulerRunning: boolean;
}

/**
 * The steps still open, in the order a new user takes them: a source, a destination, a job,
 * running it once, giving it a schedule; then what keeps the schedules from running (paused, or
 * nothing open that runs them). Empty when there is nothing to do.
 */
export function nextSteps(input: NextStepsInput): NextStep[] {
  const steps: NextStep[] = [];
  if (input.sources === 0) steps.push({ kind: 'add-source' });
  if (input.destinations === 0) steps.push({ kind: 'add-destination' });
  if (input.jobs.length === 0) {
    steps.push({ kind: 'add-job' });
    return steps;
  }
  const neverRun = input.jobs.filter((j) => !j.hasRuns).map(({ id, name }) => ({ id, name }));
  if (neverRun.length > 0) steps.push({ kind: 'run-job', jobs: neverRun });
  const scheduled = input.jobs.filter((j) => j.scheduled && j.enabled);
  if (scheduled.length === 0) {
    steps.push({ kind: 'add-schedule' });
    return steps;
  }
  if (input.schedulesPaused) steps.push({ kind: 'resume-schedules' });
  if (!input.schedulerRunning) steps.push({ kind: 'start-scheduler', scheduledJobs: scheduled.length });
  return steps;
}
