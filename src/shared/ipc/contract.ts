import type { z } from 'zod';
import type {
  AppInfoDto,
  DestinationCleanupDto,
  DestinationDto,
  EnvironmentDto,
  JobDto,
  KeyStatusDto,
  ProfileDto,
  SettingsDto,
  SourceDto,
} from '../domain/dto';
import type { RunDto, RunProgressDto } from '../domain/runs';
import type { EventChannel, InvokeChannel } from './channels';
import * as s from './schemas';

/** Input schema of every channel; every host validates with it before a handler runs. */
export const inputSchemas = {
  'app:info': s.empty,
  'environments:list': s.empty,
  'environments:create': s.environmentCreate,
  'environments:update': s.environmentUpdate,
  'environments:delete': s.byId,
  'sources:list': s.empty,
  'sources:get': s.byId,
  'sources:create': s.sourceCreate,
  'sources:update': s.sourceUpdate,
  'sources:delete': s.byId,
  'sources:test': s.byId,
  'sources:databases': s.byId,
  'destinations:list': s.empty,
  'destinations:get': s.byId,
  'destinations:create': s.destinationCreate,
  'destinations:update': s.destinationUpdate,
  'destinations:delete': s.byId,
  'destinations:lock': s.byId,
  'destinations:unlock': s.byId,
  'destinations:setDefault': s.byId,
  'destinations:test': s.byId,
  'destinations:cleanup': s.destinationCleanup,
  'profiles:list': s.empty,
  'profiles:create': s.profileCreate,
  'profiles:update': s.profileUpdate,
  'profiles:delete': s.byId,
  'jobs:list': s.empty,
  'jobs:get': s.byId,
  'jobs:create': s.jobCreate,
  'jobs:update': s.jobUpdate,
  'jobs:delete': s.byId,
  'jobs:run': s.byId,
  'runs:list': s.runsList,
  'runs:get': s.byId,
  'runs:cancel': s.byId,
  'settings:get': s.empty,
  'settings:setToolPath': s.toolPathSet,
  'keys:status': s.empty,
  'keys:export': s.keyExport,
  'keys:rotate': s.empty,
} as const satisfies Record<InvokeChannel, z.ZodType>;

/** Result type of every channel. Nothing here carries a secret value. */
export interface InvokeResults {
  'app:info': AppInfoDto;
  'environments:list': EnvironmentDto[];
  'environments:create': EnvironmentDto;
  'environments:update': EnvironmentDto;
  'environments:delete': { id: string };
  'sources:list': SourceDto[];
  'sources:get': SourceDto;
  'sources:create': SourceDto;
  'sources:update': SourceDto;
  'sources:delete': { id: string };
  /** Connects and reports the server version; `success: false` says why a dump would not work. */
  'sources:test': { success: boolean; serverVersion: string; message: string };
  'sources:databases': string[];
  'destinations:list': DestinationDto[];
  'destinations:get': DestinationDto;
  'destinations:create': DestinationDto;
  'destinations:update': DestinationDto;
  'destinations:delete': { id: string };
  'destinations:lock': DestinationDto;
  'destinations:unlock': DestinationDto;
  'destinations:setDefault': DestinationDto;
  /** S3: `scopedKey` when the key cannot list buckets; `buckets` that were reachable. */
  'destinations:test': { success: boolean; message: string; buckets?: string[]; scopedKey?: boolean };
  /** Unfinished uploads no running run accounts for (`.partial` files, S3 multipart uploads), and what was done with each. */
  'destinations:cleanup': DestinationCleanupDto;
  'profiles:list': ProfileDto[];
  'profiles:create': ProfileDto;
  'profiles:update': ProfileDto;
  'profiles:delete': { id: string };
  'jobs:list': JobDto[];
  'jobs:get': JobDto;
  'jobs:create': JobDto;
  'jobs:update': JobDto;
  'jobs:delete': { id: string };
  /** Starts a run and returns at once; follow it with `runs:progress` / `runs:finished`. */
  'jobs:run': { runId: string };
  'runs:list': RunDto[];
  'runs:get': RunDto;
  'runs:cancel': RunDto;
  'settings:get': SettingsDto;
  /** Sets (or with `path: null` clears) where a client tool is. */
  'settings:setToolPath': SettingsDto;
  'keys:status': KeyStatusDto;
  /** The key itself never crosses the contract: it is written to a 0600 file. */
  'keys:export': { path: string; fingerprint: string };
  'keys:rotate': { fingerprint: string; secretsReencrypted: number };
}

export interface EventPayloads {
  'config:changed': { entity: 'environment' | 'source' | 'destination' | 'profile' | 'job' | 'key' | 'settings'; id: string | null };
  'runs:progress': RunProgressDto;
  'runs:finished': RunDto;
}

/** Input as the caller writes it (defaults may be left out). */
export type InvokeInput<C extends InvokeChannel> = z.input<(typeof inputSchemas)[C]>;
/** Input after validation, as handlers receive it. */
export type ParsedInput<C extends InvokeChannel> = z.output<(typeof inputSchemas)[C]>;
export type InvokeResult<C extends InvokeChannel> = InvokeResults[C];
export type EventPayload<E extends EventChannel> = EventPayloads[E];

/** `sources:list` -> `sources`, `list`: the shape of `window.vaultdesk`. */
type Domain<C extends string> = C extends `${infer D}:${string}` ? D : never;
type Action<C extends string, D extends string> = C extends `${D}:${infer A}` ? A : never;

export type VaultdeskApi = {
  [D in Domain<InvokeChannel>]: {
    [A in Action<InvokeChannel, D>]: `${D}:${A}` extends infer C extends InvokeChannel
      ? (input: InvokeInput<C>) => Promise<import('./result').Result<InvokeResult<C>>>
      : never;
  };
} & {
  on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};
