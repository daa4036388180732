import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../create-core';
import { FakeClock } from '../testing/fake-clock';
import { SchedulerHarness } from '../testing/scheduler-harness';

describe('catch-up: which missed slots are owed a run at the next start', () => {
  const h = new SchedulerHarness('vaultdesk-catch-up-');
  const { open, job, runsOf, settle } = h;
  const outcomes = (core: Core, id: string): [string, string][] => runsOf(core, id).map((r) => [r.trigger, r.status]);
  beforeAll(() => h.setup());
  afterAll(() => h.cleanup());

  const deleteJobs = async (core: Core, ids: string[]): Promise<void> => {
    for (const id of ids) await core.call('jobs:delete', { id });
  };

  it('does not catch up a slot from before the schedule was set (rescheduled, moved to another time zone, enabled again, catch-up turned on); other edits keep it owed', async () => {
    const clock = new FakeClock('2026-03-10T00:00:00Z');
    const setup = await open(clock);
    const ids = {
      rescheduled: await job(setup, 'rescheduled', '0 3 * * *'),
      moved: await job(setup, 'moved', '0 3 * * *'),
      reenabled: await job(setup, 'reenabled', '0 3 * * *', { enabled: false }),
      'catch-up-on': await job(setup, 'catch-up-on', '0 3 * * *', { catchUp: false }),
      renamed: await job(setup, 'renamed', '0 3 * * *'),
    };
    // Nothing runs the schedules over the 03:00 slot; at 09:00 each job is edited.
    clock.jump(9 * 3_600_000);
    await setup.call('jobs:update', { id: ids.rescheduled, schedule: '0 4 * * *' });
    await setup.call('jobs:update', { id: ids.moved, timezone: 'Europe/Berlin' });
    await setup.call('jobs:update', { id: ids.reenabled, enabled: true });
    await setup.call('jobs:update', { id: ids['catch-up-on'], catchUp: true });
    await setup.call('jobs:update', { id: ids.renamed, name: 'renamed-nightly', timeoutMinutes: 90, postHook: { shell: false, argv: ['true'] } });
    setup.close();
    clock.jump(60_000);
    const core = await open(clock);
    core.scheduler.start();
    try {
      await settle(core);
      expect(Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, outcomes(core, id)]))).toEqual({
        rescheduled: [],
        moved: [],
        reenabled: [],
        'catch-up-on': [],
        renamed: [['catch-up', 'succeeded']],
      });
    } finally {
      core.scheduler.stop();
      await deleteJobs(core, Object.values(ids));
    }
  });
});
