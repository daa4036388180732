import path from 'node:path';
import type { RunDto } from '../../../shared/domain/runs';
import type { JobCreate } from '../../../shared/ipc/schemas';
import type { Core } from '../create-core';
import { currentProcessIdentity } from '../ownership/process-identity';
import { seedSqliteFile } from './db-fixtures';
import { FakeClock } from './fake-clock';
import { tempCore, tempDir } from './temp-dir';

/**
 * One data dir shared by several cores, each with its own clock and identity: separate processes,
 * as the scheduler and the run ownership see them. Jobs back up a small SQLite file to a folder.
 */
export class SchedulerHarness {
  readonly #t: ReturnType<typeof tempDir>;
  readonly #cores: Core[] = [];
  #sourceId = '';
  #destinationId = '';

  constructor(prefix: string) {
    this.#t = tempDir(prefix);
  }

  get dir(): string {
    return this.#t.dir;
  }

  /** The source and destination every job uses (for beforeAll). */
  async setup(): Promise<void> {
    const setup = await this.open(new FakeClock('2026-01-01T00:00:00Z'));
    const file = path.join(this.#t.dir, 'small.db');
    seedSqliteFile(file, 20);
    this.#sourceId = (await setup.call('sources:create', { engine: 'sqlite', name: 'lite', path: file })).id;
    this.#destinationId = (await setup.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(this.#t.dir, 'backups') })).id;
    setup.close();
  }

  /** Closes every core opened and removes the data dir (for afterAll). */
  cleanup(): void {
    for (const c of this.#cores) c.close();
    this.#t.cleanup();
  }

  /** A core on the shared data dir with its own clock and identity: another process, as the scheduler sees it. */
  readonly open = async (clock: FakeClock): Promise<Core> => {
    const core = await tempCore(this.#t.dir, undefined, { schedulerClock: clock, owner: currentProcessIdentity('test') });
    this.#cores.push(core);
    return core;
  };

  /** A job on the schedule, in UTC with catch-up on unless told otherwise; its id. */
  readonly job = async (core: Core, name: string, schedule: string, extra: Partial<JobCreate> = {}): Promise<string> => {
    return (await core.call('jobs:create', { name, sourceId: this.#sourceId, destinationIds: [this.#destinationId], compression: 'none', schedule, timezone: 'UTC', catchUp: true, ...extra })).id;
  };

  /** The job's runs, oldest first. */
  readonly runsOf = (core: Core, jobId: string): RunDto[] => core.runs.list({ jobId, limit: 100 }).reverse();

  /** Waits (in real time) until no run of the data dir is running any more. */
  readonly settle = async (core: Core): Promise<void> => {
    for (let i = 0; i < 600 && core.runs.running().length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    const left = core.runs.running();
    if (left.length > 0) throw new Error(`still running after 30 s: ${left.map((r) => `${r.jobName} (${r.id})`).join(', ')}`);
  };
}
