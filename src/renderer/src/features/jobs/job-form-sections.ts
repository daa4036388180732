/** The job form's sections (its tabs), and which section shows each field. */
export const JOB_SECTIONS = [
  { value: 'what', label: 'What' },
  { value: 'when', label: 'When' },
  { value: 'keep', label: 'Keep' },
  { value: 'hooks', label: 'Hooks and notifications' },
  { value: 'advanced', label: 'Advanced' },
] as const;

export type JobSection = (typeof JOB_SECTIONS)[number]['value'];

const SECTION_OF: Record<string, JobSection> = {
  name: 'what',
  sourceId: 'what',
  databases: 'what',
  allDatabases: 'what',
  destinationIds: 'what',
  format: 'what',
  compression: 'what',
  encryption: 'what',
  profileId: 'what',
  schedule: 'when',
  timezone: 'when',
  catchUp: 'when',
  enabled: 'when',
  retention: 'keep',
  preHook: 'hooks',
  postHook: 'hooks',
  hookTimeoutSeconds: 'hooks',
  webhookUrl: 'hooks',
  webhookFormat: 'hooks',
  healthchecksUrl: 'hooks',
  timeoutMinutes: 'advanced',
  prefix: 'advanced',
  compressionLevel: 'advanced',
};

const RETENTION_FIELDS = new Set(['keepLast', 'daily', 'weekly', 'monthly', 'yearly', 'minimum']);

/**
 * The form field a contract path (`sourceId`, `destinationIds.0`, `retention.daily`,
 * `preHook.argv.0`) is shown under, or null where the form has none (it goes above the buttons).
 */
export function jobFieldFor(path: string): string | null {
  const [head = '', second = ''] = path.split('.');
  if (head === 'retention') return RETENTION_FIELDS.has(second) ? `retention.${second}` : null;
  return head in SECTION_OF ? head : null;
}

/** The section that shows a form field (`retention.daily` -> keep). */
export function sectionOf(field: string): JobSection | null {
  return SECTION_OF[field.split('.')[0] ?? ''] ?? null;
}

/** How many errors each section holds, for the marks on its tab. */
export function errorsBySection(errors: Record<string, unknown>): Partial<Record<JobSection, number>> {
  const counts: Partial<Record<JobSection, number>> = {};
  for (const [field, error] of Object.entries(errors)) {
    const section = sectionOf(field);
    if (section && error) counts[section] = (counts[section] ?? 0) + 1;
  }
  return counts;
}

/** The first section, in tab order, with an error. */
export function firstSectionWithError(errors: Record<string, unknown>): JobSection | null {
  const counts = errorsBySection(errors);
  return JOB_SECTIONS.find((s) => counts[s.value])?.value ?? null;
}
