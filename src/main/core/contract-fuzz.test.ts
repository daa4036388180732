import { mkdtempSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { INVOKE_CHANNELS, type InvokeChannel } from '../../shared/ipc/channels';
import { inputSchemas } from '../../shared/ipc/input-schemas';
import { ERROR_CODES, type ErrorCode, type Result } from '../../shared/ipc/result';
import type { Core } from './create-core';
import { channelInput, hostileValue, sparseArray, weirdString } from './testing/contract-arbitraries';
import { buildContractFixture, openFixtureCopy, storeBytes, validInputs, type ContractFixture } from './testing/contract-fixture';
import { tempDir } from './testing/temp-dir';

/**
 * Every invoke channel under random and mutated input, against a real core on a real SQLite
 * store. Each refusal must carry one of the codes listed below for its channel, and leave the
 * store's bytes as they were; no input may crash the core, reject unhandled, pollute
 * Object.prototype or come back as anything but a well-formed Result.
 *
 * Kept from doing real work (each skip is in `unsafe` below):
 * - keys:rotate, keys:reset and keys:import with valid input: they replace the key file or drop
 *   every secret; they have their own tests.
 * - jobs:run of an existing job: a real backup whose record would land during later checks.
 * - sources:test / sources:databases of a PostgreSQL or MySQL source, destinations:test of an
 *   S3 or SFTP destination: they would connect to servers (the fixture's are `.invalid`).
 * - destinations:test of a local folder and keys:export outside the sandbox folder: they write
 *   files. The generators only make paths inside it, but a hostile string may start with `/`.
 * - restore:start and restore:drill: they restore into a server or a file; restore:inspectTarget
 *   of a server source connects to it.
 * - backups:* on anything but a local destination inside the sandbox (a listing of every
 *   destination, an id the store has never seen, which is looked for everywhere), and
 *   backups:download outside the sandbox.
 */

const ANY: ErrorCode[] = ['VALIDATION_FAILED'];
const BY_ID: ErrorCode[] = [...ANY, 'NOT_FOUND'];
const ALLOWED: Record<InvokeChannel, ErrorCode[]> = {
  'app:info': ANY,
  'environments:list': ANY,
  'environments:create': [...ANY, 'NAME_TAKEN', 'NOT_FOUND'],
  'environments:update': [...BY_ID, 'NAME_TAKEN'],
  'environments:delete': [...BY_ID, 'IN_USE'],
  'sources:list': ANY,
  'sources:get': BY_ID,
  'sources:create': [...ANY, 'NAME_TAKEN', 'NOT_FOUND', 'TEST_FAILED'],
  'sources:update': [...BY_ID, 'NAME_TAKEN', 'TEST_FAILED'],
  'sources:delete': [...BY_ID, 'IN_USE'],
  'sources:test': [...BY_ID, 'SOURCE_UNREACHABLE'],
  'sources:databases': [...BY_ID, 'SOURCE_UNREACHABLE'],
  'destinations:list': ANY,
  'destinations:get': BY_ID,
  'destinations:create': [...ANY, 'NAME_TAKEN', 'TEST_FAILED'],
  'destinations:update': [...BY_ID, 'NAME_TAKEN', 'TEST_FAILED'],
  'destinations:delete': [...BY_ID, 'DESTINATION_LOCKED', 'DESTINATION_IN_USE'],
  'destinations:lock': BY_ID,
  'destinations:unlock': BY_ID,
  'destinations:setDefault': BY_ID,
  'destinations:test': BY_ID,
  'destinations:cleanup': [...BY_ID, 'DESTINATION_UNREACHABLE'],
  'profiles:list': ANY,
  'profiles:create': [...ANY, 'NAME_TAKEN'],
  'profiles:update': [...BY_ID, 'NAME_TAKEN'],
  'profiles:delete': [...BY_ID, 'IN_USE'],
  'profiles:exportIdentity': [...BY_ID, 'FILE_WRITE_FAILED'],
  'recovery:exportKit': [...BY_ID, 'FILE_WRITE_FAILED'],
  'recovery:importKit': [...ANY, 'NOT_FOUND', 'NAME_TAKEN', 'OBJECT_NOT_FOUND', 'DECRYPT_FAILED', 'INTEGRITY_FAILED'],
  'recovery:inspectKit': [...ANY, 'OBJECT_NOT_FOUND'],
  'recovery:decrypt': [...ANY, 'OBJECT_NOT_FOUND', 'DECRYPT_FAILED', 'INTEGRITY_FAILED', 'FILE_WRITE_FAILED'],
  'jobs:list': ANY,
  'jobs:get': BY_ID,
  'jobs:create': [...BY_ID, 'NAME_TAKEN', 'DESTINATION_NOT_ALLOWED'],
  'jobs:update': [...BY_ID, 'NAME_TAKEN', 'DESTINATION_NOT_ALLOWED'],
  'jobs:delete': BY_ID,
  'jobs:run': BY_ID,
  'jobs:retentionPreview': BY_ID,
  'runs:list': ANY,
  'runs:get': BY_ID,
  'runs:cancel': BY_ID,
  'backups:list': BY_ID,
  // A backup is described with its pins, which are also markers at its destination (pin-markers.ts):
  // reading or writing them where the folder has gone (the fixture's moved one) says so.
  'backups:get': [...BY_ID, 'DESTINATION_UNREACHABLE'],
  'backups:verify': [...BY_ID, 'DESTINATION_UNREACHABLE'],
  'backups:download': [...BY_ID, 'FILE_WRITE_FAILED', 'DESTINATION_UNREACHABLE'],
  'backups:url': [...BY_ID, 'DESTINATION_UNREACHABLE'],
  'backups:pin': [...BY_ID, 'DESTINATION_UNREACHABLE'],
  'backups:unpin': [...BY_ID, 'DESTINATION_UNREACHABLE'],
  'backups:delete': [...BY_ID, 'BACKUP_PINNED', 'DESTINATION_LOCKED', 'DESTINATION_WRITE_FAILED', 'DESTINATION_UNREACHABLE'],
  'restore:start': [...BY_ID, 'RUN_IN_PROGRESS'],
  'restore:drill': BY_ID,
  'restore:get': BY_ID,
  'restore:list': ANY,
  'restore:cancel': BY_ID,
  'restore:inspectTarget': [...BY_ID, 'RESTORE_FAILED'],
  'settings:get': ANY,
  'settings:tools': ANY,
  'settings:setToolPath': ANY,
  'settings:setWebhook': ANY,
  'settings:setStartAtLogin': ANY,
  'notifications:test': BY_ID,
  'schedules:status': ANY,
  'schedules:pause': ANY,
  'schedules:resume': ANY,
  'schedules:setConcurrency': ANY,
  'schedules:preview': ANY,
  'keys:status': ANY,
  'keys:export': [...ANY, 'FILE_WRITE_FAILED'],
  'keys:rotate': ANY,
  'keys:import': [...ANY, 'MASTER_KEY_MISMATCH'],
  'keys:reset': ANY,
  'system:export': [...ANY, 'FILE_WRITE_FAILED'],
  'system:import': [...ANY, 'DECRYPT_FAILED', 'INTEGRITY_FAILED', 'DATA_DIR_NOT_EMPTY'],
};

/** Inputs the fuzz once found mishandled, replayed first on every run. */
const REGRESSIONS: Partial<Record<InvokeChannel, (f: ContractFixture) => unknown[]>> = {
  // A 64 KiB unknown key came back whole in the message (and a 1 MB channel name too, below).
  'app:info': () => [{ ['k'.repeat(65_537)]: 0 }],
  // Writing to a folder, a missing folder or a NUL path answered INTERNAL with a raw errno, and
  // the failed rename left `PATH.tmp-PID` holding the key.
  'keys:export': (f) => [{ path: f.sandbox }, { path: `${f.sandbox}/no/such/folder/key` }, { path: `${f.sandbox}/a\u0000b` }],
  // Paths had no length limit: a 1 MB SFTP path was stored and sent back in every list.
  'destinations:update': (f) => [{ id: f.ids.destSftp, path: 'x'.repeat(1 << 20) }],
  // A refused create must not leave the `default` environment behind.
  'sources:create': () => [{ engine: 'postgres', name: 'pg', host: 'h.invalid', user: 'u', database: 'd' }],
  // Lists had no length limit, and zod walks a list before anything else: a sparse array 2^32-1
  // long (a few bytes over Electron IPC) kept the core busy for hours (5 million took 10 s).
  'jobs:create': (f) => [{ name: 'sparse', sourceId: f.ids.srcPg, destinationIds: [f.ids.destS3], databases: sparseArray('db') }],
  'environments:update': (f) => [{ id: f.ids.envProd, allowedDestinationIds: sparseArray(f.ids.destLocal) }],
  // A lone surrogate was stored as U+FFFD: the name kept was not the name given.
  'profiles:create': () => [{ kind: '7z', name: '\udbff', passphrase: 'another long passphrase' }],
};

/** A local destination's folder could be updated to a relative path, which its test then created wherever the host ran. */
const SEQUENCE_REGRESSIONS = (f: ContractFixture): [{ channel: InvokeChannel; input: unknown }[]][] => [
  [
    [
      { channel: 'destinations:update', input: { id: f.ids.destLocal, path: 'relative/folder' } },
      { channel: 'destinations:test', input: { id: f.ids.destLocal } },
    ],
  ],
  // An environment's description with a NUL was accepted, and every system export after it failed with INTERNAL.
  [
    [
      { channel: 'environments:create', input: { name: 'nul-env', description: 'before\u0000after' } },
      { channel: 'system:export', input: { path: path.join(f.sandbox, 'exported-system.age'), passphrase: 'fuzz system passphrase' } },
    ],
  ],
];

/** Channels whose refusals may still write: the outcome of a connection test is kept with its source or destination. */
const RECORDS_REFUSALS = new Set<InvokeChannel>(['sources:test', 'destinations:test']);

const MAX_RESULT_BYTES = 1 << 20;
const MAX_MESSAGE_CHARS = 10_000;

const wellFormed = z.union([
  z.strictObject({ ok: z.literal(true), data: z.unknown() }),
  z.strictObject({
    ok: z.literal(false),
    error: z.strictObject({ code: z.enum(ERROR_CODES), message: z.string().min(1).max(MAX_MESSAGE_CHARS), details: z.record(z.string(), z.unknown()).optional() }),
  }),
]);

function insideSandbox(f: ContractFixture, p: unknown): boolean {
  return typeof p === 'string' && (p === f.sandbox || (p.startsWith(`${f.sandbox}/`) && !p.split('/').includes('..')));
}

/** Why a call must not be made (see the header), or null. Throws where the core let a path through that it must not. */
function unsafe(core: Core, f: ContractFixture, channel: InvokeChannel, input: unknown): string | null {
  const parsed = inputSchemas[channel].safeParse(input === undefined ? {} : input);
  if (!parsed.success) return null;
  const data = parsed.data as { id?: string; path?: string };
  const row = (table: string): Record<string, string> | undefined => core.db.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(data.id) as Record<string, string> | undefined;
  switch (channel) {
    case 'keys:rotate':
      return 'rotates the key file';
    case 'notifications:test':
      return 'sends notifications over the network';
    case 'keys:reset':
      return 'drops every stored secret and replaces the key file';
    case 'keys:import':
      return 'writes the key file';
    case 'profiles:exportIdentity':
    case 'recovery:exportKit':
    case 'system:export':
      return insideSandbox(f, data.path) ? null : 'writes outside the sandbox';
    case 'recovery:importKit':
    case 'recovery:inspectKit':
      return insideSandbox(f, (data as { path: string }).path) ? null : 'reads outside the sandbox';
    case 'recovery:decrypt': {
      const d = data as { file: string; identity?: string; out: string };
      return [d.file, d.identity ?? f.sandbox, d.out].every((p) => insideSandbox(f, p)) ? null : 'reads or writes outside the sandbox';
    }
    case 'destinations:cleanup': {
      const dest = row('destinations');
      if (!dest) return null;
      if (dest.kind !== 'local') return 'connects to a server';
      return insideSandbox(f, (JSON.parse(dest.config!) as { path: string }).path) ? null : 'removes files outside the sandbox';
    }
    case 'jobs:run':
      return row('jobs') ? 'starts a real backup' : null;
    case 'backups:list': {
      const listed = (data as { destinationId?: string }).destinationId;
      if (listed === undefined) return 'lists every destination, servers included';
      return localInSandbox(f, core.db.prepare('SELECT * FROM destinations WHERE id = ?').get(listed) as Record<string, string> | undefined);
    }
    case 'backups:get':
    case 'backups:verify':
    case 'backups:download':
    case 'backups:url':
    case 'backups:pin':
    case 'backups:unpin':
    case 'backups:delete': {
      if (channel === 'backups:download' && !insideSandbox(f, data.path)) return 'writes outside the sandbox';
      const at = core.db.prepare('SELECT destination_id FROM backups WHERE id = ? UNION SELECT destination_id FROM manifest_cache WHERE backup_id = ?').get(data.id, data.id) as { destination_id: string } | undefined;
      if (!at) return 'an id no listing has seen: finding it lists every destination, servers included';
      return localInSandbox(f, core.db.prepare('SELECT * FROM destinations WHERE id = ?').get(at.destination_id) as Record<string, string> | undefined) ?? null;
    }
    case 'keys:export':
      return insideSandbox(f, data.path) ? null : 'writes outside the sandbox';
    case 'restore:start':
    case 'restore:drill':
      return 'restores a backup into a server or a file';
    case 'restore:inspectTarget': {
      const source = core.db.prepare('SELECT engine FROM sources WHERE id = ?').get((data as { sourceId?: string }).sourceId) as { engine: string } | undefined;
      return source && source.engine !== 'sqlite' ? 'connects to a server' : null;
    }
    case 'sources:create':
    case 'sources:update': {
      if (!(data as { test?: boolean }).test) return null;
      const engine = channel === 'sources:create' ? (data as { engine: string }).engine : row('sources')?.engine;
      return engine && engine !== 'sqlite' ? 'connects to a server' : null;
    }
    case 'destinations:create':
    case 'destinations:update': {
      if (!(data as { test?: boolean }).test) return null;
      const stored = channel === 'destinations:update' ? row('destinations') : undefined;
      const kind = channel === 'destinations:create' ? (data as { kind: string }).kind : stored?.kind;
      if (!kind) return null;
      if (kind !== 'local') return 'connects to a server';
      const folder = data.path ?? (stored ? (JSON.parse(stored.config!) as { path: string }).path : '');
      return insideSandbox(f, folder) ? null : 'writes outside the sandbox';
    }
    case 'sources:test':
    case 'sources:databases': {
      const source = row('sources');
      return source && source.engine !== 'sqlite' ? 'connects to a server' : null;
    }
    case 'destinations:test': {
      const dest = row('destinations');
      if (!dest) return null;
      if (dest.kind !== 'local') return 'connects to a server';
      const folder = (JSON.parse(dest.config!) as { path: string }).path;
      if (!path.isAbsolute(folder)) throw new Error(`The store holds a local destination with a relative folder (${JSON.stringify(folder.slice(0, 80))}); testing it would write wherever the host runs.`);
      return insideSandbox(f, folder) ? null : 'writes outside the sandbox';
    }
    default:
      return null;
  }
}

/** Why the explorer must not read this destination (a server, or a folder outside the sandbox), or null. */
function localInSandbox(f: ContractFixture, dest: Record<string, string> | undefined): string | null {
  if (!dest) return null;
  if (dest.kind !== 'local') return 'connects to a server';
  return insideSandbox(f, (JSON.parse(dest.config!) as { path: string }).path) ? null : 'reads outside the sandbox';
}

/** What one call came to: `ok`, or the refusal's code. */
async function check(core: Core, f: ContractFixture, channel: InvokeChannel, input: unknown): Promise<string> {
  fc.pre(unsafe(core, f, channel, input) === null);
  core.db.pragma('wal_checkpoint(TRUNCATE)');
  const before = storeBytes(core);
  const result = (await core.invoke(channel, input)) as Result<unknown>;
  const shape = wellFormed.safeParse(result);
  if (!shape.success) throw new Error(`${channel} answered with a malformed Result: ${shape.error.message.slice(0, 500)}`);
  const size = JSON.stringify(result).length;
  expect(size, `${channel} answered with ${size} characters`).toBeLessThanOrEqual(MAX_RESULT_BYTES);
  if (result.ok) {
    // What was accepted is what is stored: a name must come back as it was validated.
    const parsed = inputSchemas[channel].parse(input === undefined ? {} : input) as { name?: unknown };
    const data = result.data as { name?: unknown } | null;
    if (typeof parsed.name === 'string' && data && typeof data === 'object' && 'name' in data) expect(data.name).toBe(parsed.name);
    return 'ok';
  }
  expect(ALLOWED[channel], `${channel} refused with ${result.error.code}: ${result.error.message}`).toContain(result.error.code);
  // A test that ends in a refusal (unreachable, timed out) is still kept as the entry's last test.
  if (!RECORDS_REFUSALS.has(channel) || result.error.code === 'NOT_FOUND' || result.error.code === 'VALIDATION_FAILED') {
    expect(storeBytes(core), `${channel} refused (${result.error.code}) but the store changed`).toBe(before);
  }
  return result.error.code;
}

/** A shrink that runs long fails the test instead of holding it. */
const LIMITS = { interruptAfterTimeLimit: 40_000, markInterruptAsFailure: true, asyncReporter: async <T>(d: fc.RunDetails<T>): Promise<void> => shortReport(d) };

/**
 * Channels whose every valid input is kept from running (see the header); runs:cancel needs a run in
 * progress, which jobs:run never starts here; backups:url needs a backup on S3, and the fixture's bucket is unreachable.
 */
const NEVER_ACCEPTED = new Set<InvokeChannel>([
  'keys:rotate',
  'keys:reset',
  'keys:import',
  'jobs:run',
  'runs:cancel',
  'notifications:test',
  'backups:url',
  // No restore has been made in the fixture, and making one is kept from running.
  'restore:start',
  'restore:drill',
  'restore:get',
  'restore:cancel',
]);

/** A counterexample in at most a few kilobytes, whatever it holds (4 MB strings, 2^32-1-long arrays, BigInt). */
function describeValue(value: unknown): string {
  let budget = 2_000;
  try {
    return JSON.stringify(value, (_key, v: unknown) => {
      if (--budget < 0) return '...';
      if (typeof v === 'bigint' || typeof v === 'symbol') return `${String(v)}${typeof v === 'bigint' ? 'n' : ''}`;
      if (typeof v === 'string' && v.length > 200) return `${v.slice(0, 200)}... (${v.length} characters)`;
      if (Array.isArray(v) && v.length > 20) return [...v.slice(0, 20), `... (length ${v.length})`];
      return v;
    });
  } catch (error) {
    return `(not printable: ${(error as Error).message})`;
  }
}

/** fast-check's own report prints the whole counterexample, megabytes of it here. */
function shortReport<T>(details: fc.RunDetails<T>): void {
  if (!details.failed) return;
  const example = details.counterexample ? describeValue(details.counterexample) : 'none';
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(`Property failed after ${details.numRuns} runs (seed ${details.seed}, path ${details.counterexamplePath}): ${cause.slice(0, 3_000)}\nCounterexample: ${example.slice(0, 1_500)}${example.length > 1_500 ? `... (${example.length} characters)` : ''}`);
}

function ownNames(o: object): string {
  return JSON.stringify(Reflect.ownKeys(o).map(String).sort());
}

describe('the contract under random input', () => {
  const t = tempDir('vaultdesk-fuzz-');
  let f: ContractFixture;
  const unhandled: unknown[] = [];
  const record = (error: unknown): void => void unhandled.push(error);
  const prototypes = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
  let before: string[];

  beforeAll(async () => {
    before = prototypes.map(ownNames);
    process.on('unhandledRejection', record);
    process.on('uncaughtException', record);
    f = await buildContractFixture(t.dir);
  });
  afterAll(() => {
    process.off('unhandledRejection', record);
    process.off('uncaughtException', record);
    t.cleanup();
  });

  const afterEachChannel = async (): Promise<void> => {
    // A rejection nobody awaited surfaces on a later turn of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unhandled).toEqual([]);
    expect(prototypes.map(ownNames)).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const leftovers = (readdirSync(f.sandbox, { recursive: true }) as string[]).filter((name) => name.includes('.tmp-'));
    expect(leftovers, 'temporary key files left behind').toEqual([]);
  };

  for (const channel of INVOKE_CHANNELS) {
    it(`${channel}: refuses what it must with its own codes, writes nothing when it refuses`, async () => {
      const core = await openFixtureCopy(t.dir, mkdtempSync(path.join(t.dir, 'c-')));
      try {
        const valid = validInputs(f)[channel];
        const input = channelInput(f, valid);
        // The valid inputs go first, so every channel is seen accepting something whatever the seed.
        const examples = [...valid, ...(REGRESSIONS[channel]?.(f) ?? [])].map((e): [unknown] => [e]);
        const outcomes = new Map<string, number>();
        await fc.assert(
          fc.asyncProperty(input, async (i) => {
            const outcome = await check(core, f, channel, i);
            outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          }),
          { numRuns: 100, examples, ...LIMITS },
        );
        if (process.env.FUZZ_STATS) console.info(channel, Object.fromEntries(outcomes));
        // The generators must reach past the schema, or the rules behind it go untested.
        expect(outcomes.get('VALIDATION_FAILED') ?? 0).toBeGreaterThan(0);
        if (!NEVER_ACCEPTED.has(channel)) expect(outcomes.get('ok') ?? 0, `${channel}: no generated input was accepted`).toBeGreaterThan(0);
      } finally {
        core.close();
      }
      await afterEachChannel();
    });
  }

  it('keeps every promise across sequences of calls to any channel on one store', async () => {
    const core = await openFixtureCopy(t.dir, mkdtempSync(path.join(t.dir, 'c-')));
    try {
      const all = validInputs(f);
      const call = fc.constantFrom(...INVOKE_CHANNELS).chain((channel) => channelInput(f, all[channel]).map((input) => ({ channel, input })));
      await fc.assert(
        fc.asyncProperty(fc.array(call, { minLength: 2, maxLength: 12 }), async (calls) => {
          for (const { channel, input } of calls) if (unsafe(core, f, channel, input) === null) await check(core, f, channel, input);
        }),
        { numRuns: 60, examples: SEQUENCE_REGRESSIONS(f), ...LIMITS },
      );
    } finally {
      core.close();
    }
    await afterEachChannel();
  });

  it('refuses every channel name that is not one, whatever its type', async () => {
    const core = await openFixtureCopy(t.dir, mkdtempSync(path.join(t.dir, 'c-')));
    try {
      const names = fc.oneof(hostileValue, weirdString.map((s) => `sources:${s}`), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'SOURCES:LIST', ' sources:list'));
      await fc.assert(
        fc.asyncProperty(names, fc.constantFrom<unknown>({}, undefined), async (channel, input) => {
          fc.pre(!(INVOKE_CHANNELS as readonly unknown[]).includes(channel));
          const result = await core.invoke(channel, input);
          expect(wellFormed.safeParse(result).success).toBe(true);
          expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
        }),
        { numRuns: 300, examples: [[10n, {}], [Symbol('x'), {}], [{ toString: null }, {}], ['x'.repeat(1 << 20), {}]], ...LIMITS },
      );
    } finally {
      core.close();
    }
    await afterEachChannel();
  });
});
