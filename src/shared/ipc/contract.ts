import type { z } from 'zod';
import type {
  AppInfoDto,
  DestinationDto,
  EnvironmentDto,
  JobDto,
  KeyStatusDto,
  ProfileDto,
  SettingsDto,
  SourceDto,
} from '../domain/dto';
import type { RunDto, RunProgressDto } from '../domain/runs';
import type { Result } from './result';
import * as s from './schemas';

declare const carried: unique symbol;
/** A type the map carries for the compiler only: at run time it is one shared empty object. */
export interface Phantom<T> {
  readonly [carried]: T;
}
const PHANTOM = Object.freeze({});
/** Marks a channel's result type (or an event's payload type) in the contract map. */
export function resultType<T>(): Phantom<T> {
  return PHANTOM as Phantom<T>;
}
/** The same marker, for an event's payload. */
export const payloadType: <T>() => Phantom<T> = resultType;

type Deleted = { id: string };

/**
 * The contract, written once: every invoke channel (`domain:action`) with the schema its input
 * must pass and the type of its result. The channel list, the input schemas, the result types,
 * the handlers' type and `window.vaultdesk` are all derived from this map, so a new channel is
 * one entry here plus its handler. Results never carry a secret value. The order of the entries
 * is the order of INVOKE_CHANNELS.
 */
export const contract = {
  'app:info': { input: s.empty, result: resultType<AppInfoDto>() },
  'environments:list': { input: s.empty, result: resultType<EnvironmentDto[]>() },
  'environments:create': { input: s.environmentCreate, result: resultType<EnvironmentDto>() },
  'environments:update': { input: s.environmentUpdate, result: resultType<EnvironmentDto>() },
  'environments:delete': { input: s.byId, result: resultType<Deleted>() },
  'sources:list': { input: s.empty, result: resultType<SourceDto[]>() },
  'sources:get': { input: s.byId, result: resultType<SourceDto>() },
  'sources:create': { input: s.sourceCreate, result: resultType<SourceDto>() },
  'sources:update': { input: s.sourceUpdate, result: resultType<SourceDto>() },
  'sources:delete': { input: s.byId, result: resultType<Deleted>() },
  /** Connects and reports the server version; `success: false` says why a dump would not work. */
  'sources:test': { input: s.byId, result: resultType<{ success: boolean; serverVersion: string; message: string }>() },
  'sources:databases': { input: s.byId, result: resultType<string[]>() },
  'destinations:list': { input: s.empty, result: resultType<DestinationDto[]>() },
  'destinations:get': { input: s.byId, result: resultType<DestinationDto>() },
  'destinations:create': { input: s.destinationCreate, result: resultType<DestinationDto>() },
  'destinations:update': { input: s.destinationUpdate, result: resultType<DestinationDto>() },
  'destinations:delete': { input: s.byId, result: resultType<Deleted>() },
  'destinations:lock': { input: s.byId, result: resultType<DestinationDto>() },
  'destinations:unlock': { input: s.byId, result: resultType<DestinationDto>() },
  'destinations:setDefault': { input: s.byId, result: resultType<DestinationDto>() },
  /** S3: `scopedKey` when the key cannot list buckets; `buckets` that were reachable. */
  'destinations:test': { input: s.byId, result: resultType<{ success: boolean; message: string; buckets?: string[]; scopedKey?: boolean }>() },
  'profiles:list': { input: s.empty, result: resultType<ProfileDto[]>() },
  'profiles:create': { input: s.profileCreate, result: resultType<ProfileDto>() },
  'profiles:update': { input: s.profileUpdate, result: resultType<ProfileDto>() },
  'profiles:delete': { input: s.byId, result: resultType<Deleted>() },
  /**
   * Writes an age profile's identity to a file created with mode 0600, for decrypting backups
   * with the `age` tool; the identity itself never crosses the contract.
   */
  'profiles:exportIdentity': { input: s.identityExport, result: resultType<{ path: string; recipient: string }>() },
  'jobs:list': { input: s.empty, result: resultType<JobDto[]>() },
  'jobs:get': { input: s.byId, result: resultType<JobDto>() },
  'jobs:create': { input: s.jobCreate, result: resultType<JobDto>() },
  'jobs:update': { input: s.jobUpdate, result: resultType<JobDto>() },
  'jobs:delete': { input: s.byId, result: resultType<Deleted>() },
  /** Starts a run and returns at once; follow it with `runs:progress` / `runs:finished`. */
  'jobs:run': { input: s.jobRun, result: resultType<{ runId: string }>() },
  'runs:list': { input: s.runsList, result: resultType<RunDto[]>() },
  'runs:get': { input: s.byId, result: resultType<RunDto>() },
  'runs:cancel': { input: s.byId, result: resultType<RunDto>() },
  'settings:get': { input: s.empty, result: resultType<SettingsDto>() },
  /** Sets (or with `path: null` clears) where a client tool is. */
  'settings:setToolPath': { input: s.toolPathSet, result: resultType<SettingsDto>() },
  'keys:status': { input: s.empty, result: resultType<KeyStatusDto>() },
  /** The key itself never crosses the contract: it is written to a 0600 file. */
  'keys:export': { input: s.keyExport, result: resultType<{ path: string; fingerprint: string }>() },
  'keys:rotate': { input: s.empty, result: resultType<{ fingerprint: string; secretsReencrypted: number }>() },
  /**
   * Puts back an exported key (its text; secrets go in, never out). MASTER_KEY_MISMATCH, with
   * nothing changed, when it is not the key this data folder's secrets were sealed with.
   */
  'keys:import': { input: s.keyImport, result: resultType<{ fingerprint: string }>() },
  /**
   * Gives up on a lost key: a new key, and every stored secret (passwords, keys, identities,
   * passphrases) dropped, to be re-entered. Needs `confirm: 'RESET'`.
   */
  'keys:reset': { input: s.keyReset, result: resultType<{ fingerprint: string; secretsCleared: number }>() },
} as const satisfies Record<`${string}:${string}`, { input: z.ZodType; result: Phantom<unknown> }>;

/** Events pushed from the core to every connected window, with the type of their payload. */
export const eventContract = {
  'config:changed': payloadType<{ entity: 'environment' | 'source' | 'destination' | 'profile' | 'job' | 'key' | 'settings'; id: string | null }>(),
  'runs:progress': payloadType<RunProgressDto>(),
  'runs:finished': payloadType<RunDto>(),
} as const satisfies Record<`${string}:${string}`, Phantom<unknown>>;

type Contract = typeof contract;
export type InvokeChannel = keyof Contract;
export type EventChannel = keyof typeof eventContract;
type Carried<P> = P extends Phantom<infer T> ? T : never;

/** Input schema of every channel; every host validates with it before a handler runs. */
export const inputSchemas = Object.fromEntries(Object.entries(contract).map(([channel, spec]) => [channel, spec.input])) as {
  readonly [C in InvokeChannel]: Contract[C]['input'];
};

/** Input as the caller writes it (defaults may be left out). */
export type InvokeInput<C extends InvokeChannel> = z.input<Contract[C]['input']>;
/** Input after validation, as handlers receive it. */
export type ParsedInput<C extends InvokeChannel> = z.output<Contract[C]['input']>;
export type InvokeResult<C extends InvokeChannel> = Carried<Contract[C]['result']>;
export type InvokeResults = { [C in InvokeChannel]: InvokeResult<C> };
export type EventPayload<E extends EventChannel> = Carried<(typeof eventContract)[E]>;
export type EventPayloads = { [E in EventChannel]: EventPayload<E> };

/** `sources:list` -> `sources`, `list`: the shape of `window.vaultdesk`. */
type Domain<C extends string> = C extends `${infer D}:${string}` ? D : never;
type Action<C extends string, D extends string> = C extends `${D}:${infer A}` ? A : never;

export type VaultdeskApi = {
  [D in Domain<InvokeChannel>]: {
    [A in Action<InvokeChannel, D>]: `${D}:${A}` extends infer C extends InvokeChannel ? (input: InvokeInput<C>) => Promise<Result<InvokeResult<C>>> : never;
  };
} & {
  on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};
