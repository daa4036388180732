import type { JobDto } from '../../../../shared/domain/dto';

/** A schedule as the job list shows it when the scheduler gave no words for it. */
export function describeSchedule(job: JobDto): string {
  if (!job.schedule) return 'manual only';
  return job.timezone ? `${job.schedule} (${job.timezone})` : job.schedule;
}

export function describeEncryption(job: JobDto): string {
  if (job.encryption === 'none') return 'none';
  const kind = job.encryption === 'age' ? 'age' : '7-Zip';
  return job.profileName ? `${kind} · ${job.profileName}` : kind;
}
