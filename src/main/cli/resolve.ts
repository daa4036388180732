import type { EnvironmentDto, ProfileDto } from '../../shared/domain/dto';
import type { InvokeResult } from '../../shared/ipc/contract';
import { AppError } from '../../shared/ipc/result';
import type { Core } from '../core/create-core';
import { nameKey } from '../core/store/names';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Listing = 'sources:list' | 'destinations:list' | 'profiles:list' | 'jobs:list' | 'environments:list';
type Listed<C extends Listing> = InvokeResult<C>[number];

/** Scripts may name things by name or by id; both are looked up through the contract's list channels. */
async function find<C extends Listing>(core: Core, channel: C, label: string, ref: string): Promise<Listed<C>> {
  const list = (await core.call(channel as Listing, {})) as Listed<C>[];
  if (UUID.test(ref)) {
    const byId = list.find((item) => item.id === ref.toLowerCase());
    if (byId) return byId;
  }
  const found = list.find((item) => nameKey(item.name) === nameKey(ref));
  if (!found) throw new AppError('NOT_FOUND', UUID.test(ref) ? `No ${label} with the id ${ref}.` : `No ${label} named "${ref}".`, { name: ref });
  return found;
}

export const sourceId = async (core: Core, ref: string): Promise<string> => (await find(core, 'sources:list', 'source', ref)).id;
export const destinationId = async (core: Core, ref: string): Promise<string> => (await find(core, 'destinations:list', 'destination', ref)).id;
export const jobId = async (core: Core, ref: string): Promise<string> => (await find(core, 'jobs:list', 'job', ref)).id;
export const findProfile = (core: Core, ref: string): Promise<ProfileDto> => find(core, 'profiles:list', 'encryption profile', ref);
export const profileId = async (core: Core, ref: string): Promise<string> => (await findProfile(core, ref)).id;
export const findEnvironment = (core: Core, ref: string): Promise<EnvironmentDto> => find(core, 'environments:list', 'environment', ref);
export const environmentId = async (core: Core, ref: string): Promise<string> => (await findEnvironment(core, ref)).id;

/** Runs and restores have no names: anything but an id is told as one that does not exist, with where to find ids. */
function idOnly(ref: string, noun: 'run' | 'restore', listedBy: string): string {
  if (UUID.test(ref.trim())) return ref.trim().toLowerCase();
  throw new AppError('NOT_FOUND', `No ${noun} with the id "${ref}": a ${noun} id looks like 5f0c2a9e-8d1b-4c3a-9e7f-2b6d4a1c0e93 (${listedBy}).`, { field: noun });
}

export const runId = (ref: string): string => idOnly(ref, 'run', 'vaultdesk run list shows them');
export const restoreId = (ref: string): string => idOnly(ref, 'restore', 'vaultdesk restores lists them');
