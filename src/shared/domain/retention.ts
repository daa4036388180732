import type { RetentionPolicy } from './dto';

/** One stored backup and what the job's policy does with it now. */
export interface RetentionBackupDto {
  id: string;
  key: string;
  database: string;
  createdAt: string;
  pinned: boolean;
  action: 'keep' | 'delete';
  /** The rules that keep it ("last 3", "daily 2026-11-29", "weekly 2026-W48", "minimum", "pinned", "pinned at the destination" ...); empty when it would be deleted. */
  reasons: string[];
}

/** `jobs:retentionPreview`: what the policy would keep and delete now, deleting nothing. */
export interface RetentionPreviewDto {
  jobId: string;
  jobName: string;
  policy: RetentionPolicy | null;
  /** Days, weeks, months and years are counted on this time zone's calendar. */
  timeZone: string;
  destinations: {
    destinationId: string;
    destination: string;
    /** Null, or why the pins kept at the destination (by any install sharing it) could not be read, so the preview shows only this data dir's pins. */
    pinsNotRead: string | null;
    databases: { database: string; backups: RetentionBackupDto[] }[];
  }[];
}

/** The policy in words: "keep the last 3, 7 daily, 4 weekly; never fewer than the newest 1; pinned backups are always kept". */
export function describeRetention(policy: RetentionPolicy | null): string {
  if (!policy) return 'none: every backup is kept';
  const rules = [
    policy.keepLast ? `the last ${policy.keepLast}` : null,
    policy.daily ? `${policy.daily} daily` : null,
    policy.weekly ? `${policy.weekly} weekly` : null,
    policy.monthly ? `${policy.monthly} monthly` : null,
    policy.yearly ? `${policy.yearly} yearly` : null,
  ].filter((r): r is string => r !== null);
  if (rules.length === 0) return 'no keep rules: every backup is kept';
  const floor = policy.minimum > 0 ? `; never fewer than the newest ${policy.minimum}` : '';
  return `keep ${rules.join(', ')}${floor}; pinned backups are always kept`;
}
