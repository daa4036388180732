import { z } from 'zod';
import { MANIFEST_FORMAT_VERSION, type BackupManifest } from './manifest';

/**
 * Manifests are read back from storage Vaultdesk does not control (a bucket others write to, a
 * folder restored from tape), so nothing in one is trusted before it passed this schema. Objects
 * are not strict: a later Vaultdesk may add fields without raising the format version.
 */
const text = (max: number): z.ZodString => z.string().max(max);
const count = z.number().int().nonnegative();

export const backupManifestSchema = z.object({
  formatVersion: z.literal(MANIFEST_FORMAT_VERSION),
  app: z.object({ name: z.literal('vaultdesk'), version: text(100) }),
  runId: text(100),
  createdAt: z.iso.datetime({ offset: true }),
  job: z.object({ id: text(100), name: text(200) }),
  source: z.object({
    name: text(200),
    engine: z.enum(['postgres', 'mysql', 'sqlite']),
    serverVersion: text(500).nullable(),
    database: text(1000),
    kind: z.enum(['database', 'globals']),
    locale: z.object({ encoding: text(100), collate: text(500), ctype: text(500), provider: text(100), icuLocale: text(500).nullable() }).optional(),
    charset: z.object({ characterSet: text(64), collation: text(64) }).optional(),
    objects: z.object({ views: count, triggers: count, routines: count, events: count }).optional(),
    properties: z
      .object({
        owner: text(200),
        acl: z.array(z.object({ grantee: text(200).nullable(), privilege: text(50), grantable: z.boolean() })).max(1000).nullable(),
        connectionLimit: z.number().int(),
        comment: text(64 * 1024).nullable(),
        settings: z.array(z.object({ role: text(200).nullable(), config: z.array(text(8192)).max(1000) })).max(1000),
      })
      .optional(),
  }),
  dump: z.object({ format: z.enum(['custom', 'plain', 'sqlite']), tool: text(100), bytes: z.number().int().nonnegative() }),
  compression: z.object({ algorithm: z.enum(['zstd', 'gzip', 'none']), level: z.number().int().nullable() }),
  encryption: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('none') }),
    z.object({ kind: z.literal('age'), recipients: z.array(z.object({ recipient: text(1000), fingerprint: text(64) })).min(1).max(1000) }),
    z.object({ kind: z.literal('7z'), headersEncrypted: z.literal(true) }),
  ]),
  object: z.object({ key: text(1024), size: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
});

// The schema must describe what the pipeline writes: the compiler checks it both ways.
const writtenIsReadable = (m: BackupManifest): z.input<typeof backupManifestSchema> => m;
const readIsWritten = (m: z.output<typeof backupManifestSchema>): BackupManifest => m;
void writtenIsReadable;
void readIsWritten;

/** Larger than any manifest Vaultdesk writes by far; a bigger file is not one of ours, and is not read whole. */
export const MAX_MANIFEST_BYTES = 256 * 1024;

export type ManifestReading = { ok: true; manifest: BackupManifest } | { ok: false; problem: string };

/**
 * The manifest in `text`, or why it cannot be used, in words that name no library: damaged JSON,
 * a format version this Vaultdesk does not read, or the first field that is wrong.
 */
export function readManifestText(text: string): ManifestReading {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'its manifest is damaged: it is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, problem: 'its manifest is not a Vaultdesk manifest (not a JSON object)' };
  const version = (value as { formatVersion?: unknown }).formatVersion;
  if (typeof version === 'number' && version !== MANIFEST_FORMAT_VERSION) {
    return {
      ok: false,
      problem:
        version > MANIFEST_FORMAT_VERSION
          ? `its manifest has format version ${version}, written by a newer Vaultdesk; this one reads version ${MANIFEST_FORMAT_VERSION}: update Vaultdesk to use it`
          : `its manifest has format version ${version}, which no Vaultdesk wrote`,
    };
  }
  const parsed = backupManifestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'the manifest';
    return { ok: false, problem: `its manifest is not a valid Vaultdesk manifest (${where}: ${describeIssue(issue)})` };
  }
  return { ok: true, manifest: parsed.data };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'invalid_value':
      return `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'too_big':
      return 'too long';
    case 'too_small':
      return 'too short or negative';
    case 'invalid_format':
      return issue.format === 'regex' ? 'not in the expected form' : `not a valid ${issue.format}`;
    default:
      return 'not valid';
  }
}
