import { describe, expect, it } from 'vitest';
import { runLine } from './daemon-command';

describe("the daemon's line per run", () => {
  it('stays one line when the error quotes a hook output of several lines', () => {
    const error = { code: 'HOOK_FAILED', stage: 'pre-hook', message: 'The pre-run hook `/opt/prehook.sh` exited with code 3. Nothing was backed up. Its last output:\npre-hook starting\n  NAS not mounted\n' };
    expect(runLine({ jobName: 'nightly', trigger: 'schedule', status: 'failed', error } as never)).toBe(
      'run of nightly (schedule): failed: The pre-run hook `/opt/prehook.sh` exited with code 3. Nothing was backed up. Its last output: | pre-hook starting | NAS not mounted',
    );
    expect(runLine({ jobName: 'nightly', trigger: 'catch-up', status: 'succeeded', error: null })).toBe('run of nightly (catch-up): succeeded');
  });
});
