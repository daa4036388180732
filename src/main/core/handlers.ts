import { writeSecretFile } from './keys/env-key';
import type { Handlers } from './dispatch';
import type { CoreServices } from './create-core';

/** Contract channel -> core service. Mutations announce themselves on `config:changed`. */
export function createHandlers(core: CoreServices): Handlers {
  const { environments, sources, destinations, profiles, jobs, keys, events } = core;
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
    'destinations:list': () => destinations.list(),
    'destinations:get': (i) => destinations.get(i.id),
    'destinations:create': (i) => changed('destination', destinations.create(i)),
    'destinations:update': (i) => changed('destination', destinations.update(i)),
    'destinations:delete': (i) => (destinations.delete(i.id), changed('destination', { id: i.id })),
    'destinations:lock': (i) => changed('destination', destinations.setLocked(i.id, true)),
    'destinations:unlock': (i) => changed('destination', destinations.setLocked(i.id, false)),
    'destinations:setDefault': (i) => changed('destination', destinations.setDefault(i.id)),
    'profiles:list': () => profiles.list(),
    'profiles:create': async (i) => changed('profile', await profiles.create(i)),
    'profiles:update': (i) => changed('profile', profiles.update(i)),
    'profiles:delete': (i) => (profiles.delete(i.id), changed('profile', { id: i.id })),
    'jobs:list': () => jobs.list(),
    'jobs:get': (i) => jobs.get(i.id),
    'jobs:create': (i) => changed('job', jobs.create(i)),
    'jobs:update': (i) => changed('job', jobs.update(i)),
    'jobs:delete': (i) => (jobs.delete(i.id), changed('job', { id: i.id })),
    'keys:status': () => keys.status(),
    'keys:export': (i) => {
      const { key, fingerprint } = keys.exportKey();
      writeSecretFile(i.path, `${key.toString('base64')}\n`);
      return { path: i.path, fingerprint };
    },
    'keys:rotate': async () => {
      const result = await keys.rotate();
      events.emit('config:changed', { entity: 'key', id: null });
      return result;
    },
  };
}
