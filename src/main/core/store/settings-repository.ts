import type { SettingsDto, ToolName, WebhookFormat } from '../../../shared/domain/dto';
import type { MasterKey } from '../keys/master-key';
import { redactUrl } from '../notifications/redact-url';
import { getMeta, setMeta, statement, type Db } from './db';
import { openSecrets, sealSecrets } from './row-secrets';

const TOOL_PATHS = 'tool_paths';
const SCHEDULES_PAUSED = 'schedules_paused';
const MAX_CONCURRENT_RUNS = 'max_concurrent_runs';
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

  setSchedulesPaused(paused: boolean): SettingsDto {
    setMeta(this.db, SCHEDULES_PAUSED, String(paused));
    return this.get();
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
