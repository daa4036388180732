import type { SettingsDto, ToolName, WebhookFormat } from '../../../shared/domain/dto';
import type { MasterKey } from '../keys/master-key';
import { redactUrl } from '../notifications/redact-url';
import { getMeta, setMeta, statement, type Db } from './db';
import { openSecrets, sealSecrets } from './row-secrets';

const TOOL_PATHS = 'tool_paths';
const SCHEDULES_PAUSED = 'schedules_paused';
const MAX_CONCURRENT_RUNS = 'max_concurrent_runs';
const SCHEDULE_PAUSES = 'schedule_pauses';
/** Catch-up looks at each job's latest slot only, which an older pause than these rarely holds. */
const PAUSES_KEPT = 20;

/** A time every schedule was paused, as ISO instants. */
export interface SchedulePause {
  from: string | null;
  to: string | null;
}
/** Scheduled runs at once, over every process sharing the data dir, unless the user says otherwise. */
export const DEFAULT_MAX_CONCURRENT_RUNS = 2;
const WEBHOOK = 'webhook';
const START_AT_LOGIN = 'start_at_login';
/** The row of `app_secrets` that holds the settings' secrets. */
const SECRETS_ROW = 'settings';

/** What is shown of the global webhook; its URL is sealed in `app_secrets`. */
interface WebhookMeta {
  host: string;
  format: WebhookFormat;
}

/** App-wide settings, kept in the meta table (secrets in `app_secrets`). */
export class SettingsRepository {
  constructor(
    private readonly db: Db,
    private readonly keys: MasterKey,
  ) {}

  get(): SettingsDto {
    const names = JSON.parse(this.#secretsRow().secret_names) as string[];
    const webhook = names.includes('webhookUrl') ? (JSON.parse(getMeta(this.db, WEBHOOK) ?? 'null') as WebhookMeta | null) : null;
    return {
      toolPaths: JSON.parse(getMeta(this.db, TOOL_PATHS) ?? '{}') as SettingsDto['toolPaths'],
      hasWebhook: webhook !== null,
      webhookHost: webhook?.host ?? null,
      webhookFormat: webhook?.format ?? 'json',
      schedulesPaused: getMeta(this.db, SCHEDULES_PAUSED) === 'true',
      maxConcurrentRuns: Number(getMeta(this.db, MAX_CONCURRENT_RUNS) ?? DEFAULT_MAX_CONCURRENT_RUNS),
      startAtLogin: getMeta(this.db, START_AT_LOGIN) === 'true',
    };
  }

  /**
   * Pauses or resumes every schedule, and keeps when: catch-up must not run a slot that passed
   * while schedules were paused, even once the scheduler that saw the pause is gone (a daemon
   * restarted after the resume). `at` null: the time is not known (an imported pause).
   */
  setSchedulesPaused(paused: boolean, at: Date | null): SettingsDto {
    this.db.transaction(() => {
      const was = getMeta(this.db, SCHEDULES_PAUSED) === 'true';
      const pauses = this.schedulePauses();
      if (paused && !was) pauses.push({ from: at?.toISOString() ?? null, to: null });
      if (!paused && was) {
        const open = pauses.at(-1)?.to === null ? pauses.pop()! : null;
        // Paused before pauses were kept: since when is not known, so every slot before the resume counts as paused.
        // A resume whose time is not known ends nothing that catch-up could look at.
        if (at !== null) pauses.push({ from: open ? open.from : null, to: at.toISOString() });
      }
      setMeta(this.db, SCHEDULE_PAUSES, JSON.stringify(pauses.slice(-PAUSES_KEPT)));
      setMeta(this.db, SCHEDULES_PAUSED, String(paused));
    })();
    return this.get();
  }

  /** The latest pauses of every schedule, oldest first; `from` null: since before pauses were kept; `to` null: not resumed yet. */
  schedulePauses(): SchedulePause[] {
    return JSON.parse(getMeta(this.db, SCHEDULE_PAUSES) ?? '[]') as SchedulePause[];
  }

  /** Stored for the data dir; the desktop app makes the OS start it at login accordingly. */
  setStartAtLogin(enabled: boolean): SettingsDto {
    setMeta(this.db, START_AT_LOGIN, String(enabled));
    return this.get();
  }

  setMaxConcurrentRuns(limit: number): SettingsDto {
    setMeta(this.db, MAX_CONCURRENT_RUNS, String(limit));
    return this.get();
  }

  setToolPath(tool: ToolName, path: string | null): SettingsDto {
    const toolPaths = { ...this.get().toolPaths };
    if (path === null) delete toolPaths[tool];
    else toolPaths[tool] = path;
    setMeta(this.db, TOOL_PATHS, JSON.stringify(toolPaths));
    return this.get();
  }

  /** Sets or (null) removes the global webhook. */
  setWebhook(url: string | null, format: WebhookFormat): SettingsDto {
    const sealed = url === null ? { sealed: null, names: [] } : sealSecrets(this.keys.box(), 'app_secrets', SECRETS_ROW, { webhookUrl: url });
    this.db.transaction(() => {
      this.db.prepare('UPDATE app_secrets SET secrets = ?, secret_names = ? WHERE id = ?').run(sealed.sealed, JSON.stringify(sealed.names), SECRETS_ROW);
      setMeta(this.db, WEBHOOK, JSON.stringify(url === null ? null : ({ host: redactUrl(url), format } satisfies WebhookMeta)));
    })();
    return this.get();
  }

  /** The global webhook's URL, for the notifier only; null when there is none. */
  webhookUrl(): string | null {
    const row = this.#secretsRow();
    // None set needs no key: a wrong master key must not turn "no global webhook" into a warning on every failed run.
    if (!(JSON.parse(row.secret_names) as string[]).includes('webhookUrl')) return null;
    return openSecrets(this.keys.box(), 'app_secrets', SECRETS_ROW, row.secrets).webhookUrl ?? null;
  }

  #secretsRow(): { secrets: string | null; secret_names: string } {
    return statement(this.db, 'SELECT secrets, secret_names FROM app_secrets WHERE id = ?').get(SECRETS_ROW) as { secrets: string | null; secret_names: string };
  }
}
