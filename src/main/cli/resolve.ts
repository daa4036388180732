import { AppError } from '../../shared/ipc/result';
import type { Core } from '../core/create-core';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Named = { id: string; name: string };
type Finder = { findByName(name: string): Named | null; get(id: string): Named };

/** Scripts may name things by name or by id. */
function resolve(repo: Finder, label: string, ref: string): string {
  if (UUID.test(ref)) return repo.get(ref).id;
  const found = repo.findByName(ref);
  if (!found) throw new AppError('NOT_FOUND', `No ${label} named "${ref}".`, { name: ref });
  return found.id;
}

export const sourceId = (core: Core, ref: string): string => resolve(core.sources, 'source', ref);
export const destinationId = (core: Core, ref: string): string => resolve(core.destinations, 'destination', ref);
export const profileId = (core: Core, ref: string): string => resolve(core.profiles, 'encryption profile', ref);
export const jobId = (core: Core, ref: string): string => resolve(core.jobs, 'job', ref);
export const environmentId = (core: Core, ref: string): string => resolve(core.environments, 'environment', ref);
