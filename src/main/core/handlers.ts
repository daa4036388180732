import { mkdtempSync, rmSync } from 'node:fs';
import { ensureFolderSync } from './files/ensure-folder';
import { fsAppError } from './files/fs-errors';
import path from 'node:path';
import { AppError } from '../../shared/ipc/result';
import { masterKeyLine } from '../../shared/ipc/schemas';
import { downloadBackup } from './backups/download-backup';
import { verifyBackup } from './backups/verify-backup';
import { CONNECTION_TEST_MS, testDestination } from './destinations/destination-check';
import { saveWithLocalRoot } from './destinations/local-root';
import { exportSecretFile } from './keys/export-file';
import { decodeMasterKey } from './keys/key-store';
import { exportProfileSecret } from './recovery/profile-secret-export';
import { cleanUpDestination } from './ownership/destination-cleanup';
import { checkSource, SOURCE_CHECK_MS } from './sources/source-check';
import type { SourceDriver } from './sources/source-driver';
import { toolStatuses } from './sources/tool-status';
import { assertSchedule, describeSchedule } from './scheduler/schedule';
import { scheduleStatus } from './scheduler/schedule-status';
import { storeFailure } from './store/store-errors';
import type { ConnectionTestDto, DestinationDto, ScheduleStatusDto, SourceDto } from '../../shared/domain/dto';
import type { ConnectionTestResult } from './destinations/destination';
import type { SecretMap } from './store/row-secrets';
import type { Handlers } from './dispatch';
import type { CoreServices } from './create-core';

export interface HandlerOptions {
  /** How long `destinations:test`, `sources:test` and `sources:databases` may take; tests shorten it. */
  checkDeadlineMs?: number;
}

/** Contract channel -> core service. Mutations announce themselves on `config:changed`. */
export function createHandlers(core: CoreServices, options: HandlerOptions = {}): Handlers {
  const { environments, sources, destinations, profiles, jobs, keys, events, runs, runService, settings } = core;
  const checkWith = async <T>(source: SourceDto, secrets: SecretMap, pin: (fp: string) => void, what: 'test' | 'list databases', use: (driver: SourceDriver) => Promise<T>): Promise<T> => {
    // A folder of its own for the check's temp files; a check that dies leaves it to the start-up sweep.
    const tempDir = checkTempDir(core.tempRoot);
    try {
      const context = { tempDir, env: core.toolEnv, log: core.log, toolPaths: core.settings.get().toolPaths, onHostKeyPinned: pin };
      return await checkSource(source, secrets, context, what, use, options.checkDeadlineMs ?? SOURCE_CHECK_MS);
    } finally {
      rmSync(tempDir, { recursive: true, force: true });
    }
  };
  const withSource = <T>(id: string, what: 'test' | 'list databases', use: (driver: SourceDriver) => Promise<T>): Promise<T> =>
    checkWith(sources.get(id), sources.secrets(id), (fp) => sources.pinHostKey(id, fp), what, use);
  const checkDeadlineMs = options.checkDeadlineMs ?? CONNECTION_TEST_MS;
  const destinationCheck = (dto: DestinationDto, secrets: SecretMap, pin: (fp: string) => void): Promise<ConnectionTestResult> => testDestination(dto, secrets, { onHostKeyPinned: pin }, checkDeadlineMs);
  /** A test's outcome as the lists keep it: a refusal (unreachable, login refused, timeout) is a failed test in its words. */
  const outcome = async <R extends { success: boolean; message: string }>(test: () => Promise<R>): Promise<{ result: R | null; error: AppError | null; record: ConnectionTestDto }> => {
    const at = core.now().toISOString();
    try {
      const result = await test();
      return { result, error: null, record: { at, success: result.success, message: result.message } };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return { result: null, error, record: { at, success: false, message: error.message } };
    }
  };
  /** Test on save: the draft is stored only when its test passes, with that test as its last one. */
  const testedDraft = async <D extends { dto: { name: string }; commit: (t: ConnectionTestDto | null) => R }, R>(
    draft: D,
    what: 'source' | 'destination',
    test: () => Promise<{ success: boolean; message: string }>,
  ): Promise<R> => {
    const { record, error } = await outcome(test);
    if (!record.success) {
      throw new AppError('TEST_FAILED', `The ${what} "${draft.dto.name}" was not saved: its test failed. ${record.message}`, { test: record, cause: error?.code ?? null });
    }
    return draft.commit(record);
  };
  /** An explicit test of a stored entry: its outcome becomes the entry's last test, and a refusal is still thrown. */
  const recorded = async <R extends { success: boolean; message: string }>(entity: 'source' | 'destination', id: string, test: () => Promise<R>): Promise<R> => {
    const { result, error, record } = await outcome(test);
    (entity === 'source' ? sources : destinations).recordTest(id, record);
    events.emit('config:changed', { entity, id });
    if (error) throw error;
    return result!;
  };
  const status = (): ScheduleStatusDto => scheduleStatus({ ...core, now: core.now });
  const scheduleChanged = (): ScheduleStatusDto => {
    events.emit('config:changed', { entity: 'settings', id: null });
    core.scheduler.poke();
    return status();
  };
  const changed = <T extends { id: string }>(entity: Parameters<typeof events.emit<'config:changed'>>[1]['entity'], value: T): T => {
    events.emit('config:changed', { entity, id: value.id });
    return value;
  };
  return withStoreErrors(core.dataDir, {
    'app:info': () => core.info(),
    'environments:list': () => environments.list(),
    'environments:create': (i) => changed('environment', environments.create(i)),
    'environments:update': (i) => changed('environment', environments.update(i)),
    'environments:delete': (i) => (environments.delete(i.id), changed('environment', { id: i.id })),
    'sources:list': () => sources.list(),
    'sources:get': (i) => sources.get(i.id),
    'sources:create': async ({ test, ...input }) => {
      const draft = sources.draftCreate(input);
      return changed('source', test ? await testedDraft(draft, 'source', () => checkWith(draft.dto, draft.secrets, draft.pinHostKey, 'test', (d) => d.test())) : draft.commit(null));
    },
    'sources:update': async ({ test, ...input }) => {
      const draft = sources.draftUpdate(input);
      return changed('source', test ? await testedDraft(draft, 'source', () => checkWith(draft.dto, draft.secrets, draft.pinHostKey, 'test', (d) => d.test())) : draft.commit(null));
    },
    'sources:delete': (i) => (sources.delete(i.id), changed('source', { id: i.id })),
    'sources:test': (i) => {
      // Missing or sealed out of reach (a wrong key) is not a test that failed: said before anything is recorded.
      const source = sources.get(i.id);
      const secrets = sources.secrets(i.id);
      return recorded('source', i.id, () => checkWith(source, secrets, (fp) => sources.pinHostKey(i.id, fp), 'test', (d) => d.test()));
    },
    'sources:databases': (i) => withSource(i.id, 'list databases', (d) => d.listDatabases()),
    'destinations:list': () => destinations.list(),
    'destinations:get': (i) => destinations.get(i.id),
    'destinations:create': async ({ test, ...input }) => {
      const draft = destinations.draftCreate(input);
      const save = (): Promise<DestinationDto> | DestinationDto => (test ? testedDraft(draft, 'destination', () => destinationCheck(draft.dto, draft.secrets, draft.pinHostKey)) : draft.commit(null));
      return changed('destination', await saveWithLocalRoot(draft.dto, null, checkDeadlineMs, save));
    },
    'destinations:update': async ({ test, ...input }) => {
      const before = destinations.get(input.id);
      const draft = destinations.draftUpdate(input);
      const save = (): Promise<DestinationDto> | DestinationDto => (test ? testedDraft(draft, 'destination', () => destinationCheck(draft.dto, draft.secrets, draft.pinHostKey)) : draft.commit(null));
      return changed('destination', await saveWithLocalRoot(draft.dto, before, checkDeadlineMs, save));
    },
    'destinations:delete': (i) => (destinations.delete(i.id), changed('destination', { id: i.id })),
    'destinations:lock': (i) => changed('destination', destinations.setLocked(i.id, true)),
    'destinations:unlock': (i) => changed('destination', destinations.setLocked(i.id, false)),
    'destinations:setDefault': (i) => changed('destination', destinations.setDefault(i.id)),
    'destinations:test': (i) => {
      const destination = destinations.get(i.id);
      const secrets = destinations.secrets(i.id);
      return recorded('destination', i.id, () => destinationCheck(destination, secrets, (fp) => destinations.pinHostKey(i.id, fp)));
    },
    'destinations:cleanup': (i) => cleanUpDestination(core.cleanup, i),
    'profiles:list': () => profiles.list(),
    'profiles:create': async (i) => changed('profile', await profiles.create(i)),
    'profiles:update': (i) => changed('profile', profiles.update(i)),
    'profiles:delete': (i) => (profiles.delete(i.id, i.discardUnsavedIdentity), changed('profile', { id: i.id })),
    'profiles:exportIdentity': (i) => {
      const result = exportProfileSecret(profiles, i);
      events.emit('config:changed', { entity: 'profile', id: i.id });
      return result;
    },
    'recovery:exportKit': async (i) => {
      // Loaded on first use: age and the zip library are not for every command that opens the core.
      const { exportRecoveryKit } = await import('./recovery/kit-export');
      const result = await exportRecoveryKit({ profiles, now: core.now, version: core.info().version, toolEnv: core.toolEnv, sevenZipPath: settings.get().toolPaths['7z'], tempDir: core.tempRoot }, i);
      for (const p of result.profiles) events.emit('config:changed', { entity: 'profile', id: p.id });
      return result;
    },
    'recovery:importKit': async (i) => {
      const { importRecoveryKit } = await import('./recovery/kit-import');
      const result = await importRecoveryKit({ profiles }, i);
      for (const p of result.created) events.emit('config:changed', { entity: 'profile', id: p.id });
      return result;
    },
    'recovery:inspectKit': async (i) => {
      const { inspectRecoveryKit } = await import('./recovery/kit-import');
      return inspectRecoveryKit({ profiles }, i);
    },
    'recovery:decrypt': async (i) => {
      const { decryptOnHost } = await import('./recovery/decrypt-on-host');
      return decryptOnHost(i, { toolEnv: core.toolEnv, sevenZipPath: core.settings.get().toolPaths['7z'], workerFile: core.workerFile, log: core.log, now: () => Date.now(), onProgress: (p) => events.emit('recovery:decryptProgress', p) });
    },
    'jobs:list': () => jobs.list(),
    'jobs:get': (i) => jobs.get(i.id),
    'jobs:create': (i) => changed('job', jobs.create(i)),
    'jobs:update': (i) => changed('job', jobs.update(i)),
    'jobs:delete': (i) => {
      // Refused rather than cancelling behind the user's back: the run's retention, post-run hook
      // and notifications belong to the job, and a job gone mid-run leaves them nothing to act on.
      jobs.delete(i.id, (job) => {
        const running = runs.runningOf(job.id).find((r) => core.host.isAlive(r.ownerStartId));
        if (running) {
          throw new AppError(
            'RUN_IN_PROGRESS',
            `Job "${job.name}" is running now (run ${running.id}, in ${core.host.describe(running.ownerStartId)}) and cannot be deleted while it runs. Cancel the run (nothing of it is kept; 'vaultdesk run cancel ${running.id}', or Cancel in the app) or let it finish, then delete the job.`,
            { runId: running.id },
          );
        }
      });
      return changed('job', { id: i.id });
    },
    'jobs:retentionPreview': (i) => core.retention.preview(i.id, i.retention),
    'jobs:run': (i) => ({ runId: runService.start(i.id, i.trigger).runId }),
    'runs:list': (i) => runs.list({ jobId: i.jobId, status: i.status, limit: i.limit }),
    'runs:get': (i) => runs.get(i.id),
    'runs:cancel': (i) => runService.cancel(i.id),
    'backups:list': (i) => core.explorer.list(i),
    'backups:get': (i) => core.explorer.get(i.id),
    'backups:verify': (i) => verifyBackup(core.explorer, core, i.id),
    'backups:download': (i) => downloadBackup(core.explorer, i.id, i.path),
    'backups:url': (i) => core.explorer.url(i.id, i.expiresInSeconds),
    'backups:pin': (i) => core.explorer.pin(i.id, i.until),
    'backups:unpin': (i) => core.explorer.unpin(i.id),
    'backups:delete': (i) => core.explorer.delete(i.id),
    'restore:start': (i) => core.restoreService.start(i),
    'restore:drill': (i) => core.restoreService.drill(i),
    'restore:get': (i) => core.restoreService.get(i.id),
    'restore:list': (i) => core.restoreService.list(i),
    'restore:cancel': (i) => core.restoreService.cancel(i.id),
    'restore:inspectTarget': (i) => core.restoreService.inspectTarget(i.sourceId, i.database, i.fromDatabase),
    'settings:get': () => settings.get(),
    'settings:tools': () => toolStatuses(core.toolEnv, settings.get().toolPaths),
    'settings:setToolPath': (i) => {
      const result = settings.setToolPath(i.tool, i.path);
      events.emit('config:changed', { entity: 'settings', id: null });
      return result;
    },
    'settings:setStartAtLogin': (i) => {
      const result = settings.setStartAtLogin(i.enabled);
      events.emit('config:changed', { entity: 'settings', id: null });
      return result;
    },
    'schedules:status': () => status(),
    'schedules:pause': () => {
      settings.setSchedulesPaused(true, core.now());
      return scheduleChanged();
    },
    'schedules:resume': () => {
      settings.setSchedulesPaused(false, core.now());
      return scheduleChanged();
    },
    'schedules:setConcurrency': (i) => {
      settings.setMaxConcurrentRuns(i.limit);
      return scheduleChanged();
    },
    'schedules:preview': (i) => {
      // The form's read-back: a schedule a job cannot be saved with is refused here too, under the field, as it is typed.
      assertSchedule({ schedule: i.schedule, timezone: i.timezone });
      return describeSchedule({ schedule: i.schedule, timezone: i.timezone }, core.now(), i.count);
    },
    'settings:setWebhook': (i) => {
      const result = settings.setWebhook(i.url, i.format);
      events.emit('config:changed', { entity: 'settings', id: null });
      return result;
    },
    'notifications:test': (i) => core.notifier.test(i.jobId),
    'keys:status': () => keys.status(),
    'keys:export': (i) => {
      const { key, fingerprint } = keys.exportKey();
      exportSecretFile(i.path, `${key.toString('base64')}\n`);
      return { path: i.path, fingerprint };
    },
    'keys:rotate': async () => {
      const result = await keys.rotate();
      events.emit('config:changed', { entity: 'key', id: null });
      return result;
    },
    'keys:import': async (i) => {
      // The schema has checked that there is such a line.
      const result = await keys.import(decodeMasterKey(masterKeyLine(i.key)!)!);
      events.emit('config:changed', { entity: 'key', id: null });
      return result;
    },
    'keys:reset': async () => {
      const result = await keys.reset();
      events.emit('config:changed', { entity: 'key', id: null });
      return result;
    },
    'system:export': (i) => core.system.export(i),
    'system:import': async (i) => {
      const result = await core.system.import(i);
      const kinds = [
        ['environment', result.counts.environments],
        ['source', result.counts.sources],
        ['destination', result.counts.destinations],
        ['profile', result.counts.profiles],
        ['job', result.counts.jobs],
      ] as const;
      for (const [entity, added] of kinds) if (added > 0) events.emit('config:changed', { entity, id: null });
      if (result.settings === 'imported') events.emit('config:changed', { entity: 'settings', id: null });
      return result;
    },
  });
}

/** A failing store write (full disk, read-only data dir) reads as STORE_WRITE_FAILED naming the data dir, on every channel. */
function withStoreErrors(dataDir: string, handlers: Handlers): Handlers {
  const wrapped: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const [channel, handler] of Object.entries(handlers) as [string, (input: unknown) => unknown][]) {
    wrapped[channel] = async (input) => {
      try {
        return await handler(input);
      } catch (error) {
        throw storeFailure(error, dataDir) ?? error;
      }
    };
  }
  return wrapped as unknown as Handlers;
}

/** A folder of its own for a check's temp files, in the data dir's (remade if someone removed it). */
function checkTempDir(tempRoot: string): string {
  try {
    ensureFolderSync(tempRoot, { mode: 0o700 });
    return mkdtempSync(path.join(tempRoot, 'check-'));
  } catch (error) {
    throw fsAppError(error, 'STORE_WRITE_FAILED', 'Could not make a temporary folder in the data dir', { path: tempRoot });
  }
}
