import { createDestinationDriver } from './destinations/destination';
import { exportKeyFile } from './keys/key-export';
import { createSourceDriver, type SourceDriver } from './sources/source-driver';
import type { Handlers } from './dispatch';
import type { CoreServices } from './create-core';

/** Contract channel -> core service. Mutations announce themselves on `config:changed`. */
export function createHandlers(core: CoreServices): Handlers {
  const { environments, sources, destinations, profiles, jobs, keys, events, runs, runService, settings } = core;
  const withSource = async <T>(id: string, use: (driver: SourceDriver) => Promise<T>): Promise<T> => {
    const driver = createSourceDriver(sources.get(id), sources.secrets(id), {
      tempDir: core.tempRoot,
      env: core.toolEnv,
      log: core.log,
      toolPaths: core.settings.get().toolPaths,
      onHostKeyPinned: (fp) => sources.pinHostKey(id, fp),
    });
    try {
      return await use(driver);
    } finally {
      await driver.close();
    }
  };
  const changed = <T extends { id: string }>(entity: Parameters<typeof events.emit<'config:changed'>>[1]['entity'], value: T): T => {
    events.emit('config:changed', { entity, id: value.id });
    return value;
  };
  return {
    'app:info': () => core.info(),
    'environments:list': () => environments.list(),
    'environments:create': (i) => changed('environment', environments.create(i)),
    'environments:update': (i) => changed('environment', environments.update(i)),
    'environments:delete': (i) => (environments.delete(i.id), changed('environment', { id: i.id })),
    'sources:list': () => sources.list(),
    'sources:get': (i) => sources.get(i.id),
    'sources:create': (i) => changed('source', sources.create(i)),
    'sources:update': (i) => changed('source', sources.update(i)),
    'sources:delete': (i) => (sources.delete(i.id), changed('source', { id: i.id })),
    'sources:test': (i) => withSource(i.id, (d) => d.test()),
    'sources:databases': (i) => withSource(i.id, (d) => d.listDatabases()),
    'destinations:list': () => destinations.list(),
    'destinations:get': (i) => destinations.get(i.id),
    'destinations:create': (i) => changed('destination', destinations.create(i)),
    'destinations:update': (i) => changed('destination', destinations.update(i)),
    'destinations:delete': (i) => (destinations.delete(i.id), changed('destination', { id: i.id })),
    'destinations:lock': (i) => changed('destination', destinations.setLocked(i.id, true)),
    'destinations:unlock': (i) => changed('destination', destinations.setLocked(i.id, false)),
    'destinations:setDefault': (i) => changed('destination', destinations.setDefault(i.id)),
    'destinations:test': async (i) => {
      const driver = createDestinationDriver(destinations.get(i.id), destinations.secrets(i.id), { onHostKeyPinned: (fp) => destinations.pinHostKey(i.id, fp) });
      try {
        return await driver.test();
      } finally {
        await driver.close();
      }
    },
    'profiles:list': () => profiles.list(),
    'profiles:create': async (i) => changed('profile', await profiles.create(i)),
    'profiles:update': (i) => changed('profile', profiles.update(i)),
    'profiles:delete': (i) => (profiles.delete(i.id), changed('profile', { id: i.id })),
    'jobs:list': () => jobs.list(),
    'jobs:get': (i) => jobs.get(i.id),
    'jobs:create': (i) => changed('job', jobs.create(i)),
    'jobs:update': (i) => changed('job', jobs.update(i)),
    'jobs:delete': (i) => (jobs.delete(i.id), changed('job', { id: i.id })),
    'jobs:run': (i) => ({ runId: runService.start(i.id, 'manual').runId }),
    'runs:list': (i) => runs.list({ jobId: i.jobId, limit: i.limit }),
    'runs:get': (i) => runs.get(i.id),
    'runs:cancel': (i) => runService.cancel(i.id),
    'settings:get': () => settings.get(),
    'settings:setToolPath': (i) => {
      const result = settings.setToolPath(i.tool, i.path);
      events.emit('config:changed', { entity: 'settings', id: null });
      return result;
    },
    'keys:status': () => keys.status(),
    'keys:export': (i) => exportKeyFile(keys, i.path),
    'keys:rotate': async () => {
      const result = await keys.rotate();
      events.emit('config:changed', { entity: 'key', id: null });
      return result;
    },
  };
}
