import type { WebhookFormat } from '../../../shared/domain/dto';
import { STAGE_WORDS, type RunDto } from '../../../shared/domain/runs';

/** Why a run is worth telling someone about. */
export type AlertKind = 'failed' | 'recovered';

/** Slack and Discord show a short text; the whole record goes to `json` webhooks. */
const ERROR_CHARS = 800;

export function durationWords(run: RunDto): string | null {
  if (!run.finishedAt) return null;
  const s = Math.max(0, Math.round((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** A title and a one-paragraph body, for an OS notification and chat webhooks. */
export function alertText(kind: AlertKind, run: RunDto): { title: string; body: string } {
  const took = durationWords(run);
  if (kind === 'recovered') {
    return { title: `Backup OK again: ${run.jobName}`, body: `Job ${run.jobName} succeeded again after a failure${took ? ` (took ${took})` : ''}.` };
  }
  const how = run.status === 'interrupted' ? 'was interrupted' : 'failed';
  const where = run.error ? ` while ${STAGE_WORDS[run.error.stage] ?? run.error.stage}${run.error.destination ? ` (destination ${run.error.destination})` : ''}` : '';
  const error = run.error ? ` [${run.error.code}] ${clip(run.error.message, ERROR_CHARS)}` : '';
  return { title: `Backup ${how}: ${run.jobName}`, body: `Job ${run.jobName} ${how}${where}${took ? ` after ${took}` : ''}.${error}` };
}

export interface WebhookEvent {
  event: 'run.failed' | 'run.recovered' | 'test';
  title: string;
  body: string;
  run: RunDto | null;
  job: { id: string | null; name: string } | null;
}

/** The request body a webhook of this format expects. */
export function webhookBody(format: WebhookFormat, e: WebhookEvent): string {
  const text = `Vaultdesk: ${e.body}`;
  switch (format) {
    case 'slack':
      return JSON.stringify({ text });
    case 'discord':
      // Discord refuses content over 2000 characters.
      return JSON.stringify({ content: clip(text, 1900) });
    case 'json':
      return JSON.stringify({ event: e.event, title: e.title, text: e.body, job: e.job, run: e.run });
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
