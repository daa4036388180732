import type { BackupDto, BackupEncryptionDto } from '../../../shared/domain/backups';
import type { DestinationDto } from '../../../shared/domain/dto';
import type { RunTrigger } from '../../../shared/domain/runs';
import { formatBytes } from '../destinations/local-files';
import type { BackupManifest } from '../pipeline/manifest';
import { locationOf } from '../pipeline/pipeline-support';
import { backupObjectWords } from '../sources/mysql-admin';
import { charsetInWords } from '../sources/mysql-charset';
import { localeInWords } from '../sources/postgres-locale';
import type { BackupState } from '../store/backup-state-repository';
import type { ScannedEntry } from './destination-scan';
import { pinOf } from './pin-markers';

export interface DescribeContext {
  destination: DestinationDto;
  stateOf: (key: string) => BackupState | undefined;
  triggerOf: (runId: string) => RunTrigger | null;
  /** The name of the profile of this data dir holding the identity of a recipient with this fingerprint. */
  profileOf: (fingerprint: string) => string | null;
  now: Date;
}

const capital = (s: string): string => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

/** An entry of a destination as the explorer answers it: the manifest's facts, the run history's, and what is kept about it here. */
export function describeBackup(entry: ScannedEntry, ctx: DescribeContext): BackupDto {
  const { destination } = ctx;
  const state = ctx.stateOf(entry.key);
  const reading = entry.manifest?.reading;
  const manifest = reading?.ok ? reading.manifest : null;
  const object = entry.object;
  let status: BackupDto['status'] = 'complete';
  let problem: string | null = null;
  if (!entry.manifest) {
    status = 'incomplete';
    problem = 'No manifest beside it, so it is not a complete backup: an upload that never finished, or a file Vaultdesk did not write.';
  } else if (!reading!.ok) {
    status = 'unreadable';
    problem = `${capital(reading!.problem)}${object ? '' : '; its object is missing too'}.`;
  } else if (!object) {
    status = 'broken';
    problem = `Its object is missing: the manifest describes ${formatBytes(manifest!.object.size)} that are not at the destination (removed by hand, or by another tool).`;
  } else if (object.size !== manifest!.object.size) {
    status = 'broken';
    problem = `Its object is ${object.size} bytes but its manifest says ${manifest!.object.size}: it was cut short or changed after it was stored.`;
  }
  const createdAt = manifest ? new Date(manifest.createdAt).toISOString() : (object ?? entry.manifest!.stored).modifiedAt.toISOString();
  const complete = status === 'complete';
  return {
    id: entry.id,
    status,
    complete,
    problem,
    destinationId: destination.id,
    destination: destination.name,
    destinationKind: destination.kind,
    key: entry.key,
    location: locationOf(destination, entry.key),
    job: manifest?.job.name ?? null,
    jobId: manifest?.job.id ?? null,
    source: manifest?.source.name ?? null,
    engine: manifest?.source.engine ?? null,
    database: manifest?.source.database ?? null,
    kind: manifest?.source.kind ?? null,
    createdAt,
    size: object?.size ?? manifest?.object.size ?? 0,
    sha256: manifest?.object.sha256 ?? null,
    dumpBytes: manifest?.dump.bytes ?? null,
    format: manifest?.dump.format ?? null,
    compression: manifest ? { algorithm: manifest.compression.algorithm, level: manifest.compression.level } : null,
    encryption: manifest ? encryptionOf(manifest, ctx) : null,
    appVersion: manifest?.app.version ?? null,
    serverVersion: manifest?.source.serverVersion ?? null,
    locale: manifest?.source.locale ? localeInWords(manifest.source.locale) : manifest?.source.charset ? charsetInWords(manifest.source.charset) : null,
    holds: manifest?.source.objects ? backupObjectWords(manifest.source.objects) : null,
    runId: manifest?.runId ?? null,
    trigger: manifest ? ctx.triggerOf(manifest.runId) : null,
    ...pinnedBy(state, pinOf(entry.pins, ctx.now)),
    // A verify that passed says nothing of a backup that has since lost its manifest or object.
    lastVerified: state?.lastVerified && (status === 'complete' || !state.lastVerified.ok) ? state.lastVerified : null,
    lastDrill: state?.lastDrill ?? null,
  };
}

function encryptionOf(manifest: BackupManifest, ctx: DescribeContext): BackupEncryptionDto {
  const e = manifest.encryption;
  if (e.kind === 'age') return { kind: 'age', recipients: e.recipients.map((r) => ({ recipient: r.recipient, fingerprint: r.fingerprint, profile: ctx.profileOf(r.fingerprint) })) };
  return { kind: e.kind };
}

/** Pinned here (the data dir's record), at the destination (a marker, whichever install wrote it), or both: the later end holds. */
function pinnedBy(state: BackupState | undefined, marked: { until: string | null } | null): Pick<BackupDto, 'pinned' | 'pinnedUntil'> {
  const ends = [...(state?.pinned ? [state.pinnedUntil] : []), ...(marked ? [marked.until] : [])];
  if (ends.length === 0) return { pinned: false, pinnedUntil: null };
  if (ends.includes(null)) return { pinned: true, pinnedUntil: null };
  return { pinned: true, pinnedUntil: (ends as string[]).sort((a, b) => Date.parse(a) - Date.parse(b)).at(-1)! };
}
