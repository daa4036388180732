import type { AppHost, NotificationOutcomeDto, WebhookFormat } from '../../../shared/domain/dto';
import type { RunDto } from '../../../shared/domain/runs';
import type { CoreEvents } from '../events';
import type { Logger } from '../logger';
import type { JobsRepository } from '../store/jobs-repository';
import type { RunsRepository } from '../store/runs-repository';
import type { SettingsRepository } from '../store/settings-repository';
import { deliver, type DeliveryPolicy, type DeliveryResult } from './deliver';
import { alertText, webhookBody, type AlertKind, type WebhookEvent } from './notification-text';
import { redactUrl } from './redact-url';

export interface NotifierDeps {
  jobs: JobsRepository;
  runs: RunsRepository;
  settings: SettingsRepository;
  events: CoreEvents;
  log: Logger;
  now: () => Date;
  delivery: DeliveryPolicy;
  /** The process this core runs in: it decides who shows a desktop alert. */
  host: AppHost;
}

/** A Healthchecks /fail body is kept short; the service stores the first 100 KB anyway. */
const PING_BODY_MAX = 10_000;

type Channel = NotificationOutcomeDto['channel'];

interface Target {
  channel: Channel;
  url: string;
  format: WebhookFormat;
}

/**
 * Tells people about runs without ever holding one up: webhooks (per job and global) and the
 * desktop when a run fails and on the first success after a failure, Healthchecks pings on every
 * run. Deliveries run in the background with retries; `drain` waits for them (a CLI command
 * before it exits). Outcomes go to the log and to the run's own log, with URLs redacted.
 */
export class Notifier {
  readonly #pending = new Set<Promise<void>>();
  /** Each run's `/start` ping, so that its end ping is never sent before it. */
  readonly #starts = new Map<string, Promise<void>>();
  readonly #closing = new AbortController();

  constructor(private readonly deps: NotifierDeps) {}

  /** Healthchecks `/start`, as the run begins. */
  runStarted(jobId: string, runId: string): void {
    const url = this.#jobUrl(jobId, 'healthchecksUrl', runId);
    if (!url) return;
    const started = this.#track(async () => {
      const result = await deliver({ url: pingUrl(url, 'start', runId), body: '', contentType: 'text/plain' }, this.deps.delivery, this.#closing.signal);
      // A start ping that went through is not worth a line in every run's log; the logger has it.
      this.#report(runId, 'healthchecks', url, 'start ping', result, !result.ok);
    });
    this.#starts.set(runId, started);
  }

  /** Every ended run: the Healthchecks end ping, and alerts when it failed or is the first success after a failure. */
  runEnded(run: RunDto): void {
    try {
      this.#runEnded(run);
    } catch (error) {
      this.deps.log.warn('could not send the notifications of a run', { runId: run.id, error: String(error) });
    }
  }

  #runEnded(run: RunDto): void {
    const started = this.#starts.get(run.id) ?? Promise.resolve();
    this.#starts.delete(run.id);
    if (!run.jobId || run.status === 'running' || run.status === 'skipped') return;
    const ping = this.#jobUrl(run.jobId, 'healthchecksUrl', run.id);
    if (ping) {
      const ok = run.status === 'succeeded';
      const body = ok ? '' : `${run.status}: ${run.error ? `[${run.error.code}] ${run.error.message}` : 'no error recorded'}`.slice(0, PING_BODY_MAX);
      this.#track(async () => {
        await started;
        const result = await deliver({ url: pingUrl(ping, ok ? 'success' : 'fail', run.id), body, contentType: 'text/plain; charset=utf-8' }, this.deps.delivery, this.#closing.signal);
        this.#report(run.id, 'healthchecks', ping, ok ? 'success ping' : 'failure ping', result);
      });
    }
    const kind = this.#alertKind(run);
    if (!kind) return;
    const { title, body } = alertText(kind, run);
    // On the next turn: runs found interrupted while the core opens are told to a host that subscribes as soon as it has the core.
    const alert = { kind, title, body, runId: run.id, jobId: run.jobId };
    setImmediate(() => this.deps.events.emit('notifications:alert', alert));
    const event: WebhookEvent = { event: kind === 'failed' ? 'run.failed' : 'run.recovered', title, body, run, job: { id: run.jobId, name: run.jobName } };
    for (const target of this.#webhooks(run.jobId, run.id)) {
      this.#track(async () => {
        const result = await deliver({ url: target.url, body: webhookBody(target.format, event), contentType: 'application/json' }, this.deps.delivery, this.#closing.signal);
        this.#report(run.id, target.channel, target.url, kind === 'failed' ? 'failure notification' : 'recovery notification', result);
      });
    }
  }

  /**
   * One test message through each configured channel, one attempt each, and how each went. The
   * Healthchecks URL gets its `/log` endpoint, which records an event without changing the check.
   */
  async test(jobId?: string): Promise<NotificationOutcomeDto[]> {
    const job = jobId ? this.deps.jobs.get(jobId) : null;
    const title = 'Vaultdesk test notification';
    const body = job ? `Test notification for job ${job.name}: this channel reaches you.` : 'Test notification: this channel reaches you.';
    const once: DeliveryPolicy = { ...this.deps.delivery, retries: 0 };
    const sends: Promise<NotificationOutcomeDto>[] = [];
    const event: WebhookEvent = { event: 'test', title, body, run: null, job: job ? { id: job.id, name: job.name } : null };
    const secrets = job ? this.deps.jobs.secrets(job.id) : {};
    const targets: Target[] = [];
    if (secrets.webhookUrl) targets.push({ channel: 'job webhook', url: secrets.webhookUrl, format: job!.webhookFormat });
    const global = this.deps.settings.webhookUrl();
    if (global) targets.push({ channel: 'global webhook', url: global, format: this.deps.settings.get().webhookFormat });
    for (const t of targets) {
      sends.push(deliver({ url: t.url, body: webhookBody(t.format, event), contentType: 'application/json' }, once).then((r) => ({ channel: t.channel, target: redactUrl(t.url), ok: r.ok, message: r.message })));
    }
    if (secrets.healthchecksUrl) {
      const url = secrets.healthchecksUrl;
      sends.push(deliver({ url: pingUrl(url, 'log', null), body, contentType: 'text/plain; charset=utf-8' }, once).then((r) => ({ channel: 'healthchecks', target: redactUrl(url), ok: r.ok, message: r.message })));
    }
    const outcomes = await Promise.all(sends);
    const shown = this.deps.events.listenerCount('notifications:alert') > 0;
    this.deps.events.emit('notifications:alert', { kind: 'test', title, body, runId: null, jobId: job?.id ?? null });
    outcomes.push(desktopOutcome(this.deps.host, shown));
    return outcomes;
  }

  /** How many deliveries are still being tried. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Waits for the deliveries under way (with their retries), up to `limitMs`; true when all ended. */
  async drain(limitMs = Infinity): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const limit = Number.isFinite(limitMs) ? new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), limitMs))) : null;
    // The retries' back-off timers are unref'd, so that a long-running host is never kept open by
    // them alone; whoever waits here wants the process to stay until the deliveries end (a CLI
    // command would otherwise exit in the middle of a back-off, its outcome never logged).
    const stay = setInterval(() => undefined, 60_000);
    try {
      while (this.#pending.size > 0) {
        const all = Promise.all([...this.#pending]).then(() => true as const);
        if ((await (limit ? Promise.race([all, limit]) : all)) === false) return false;
      }
      return true;
    } finally {
      clearTimeout(timer);
      clearInterval(stay);
    }
  }

  /** Stops every delivery still being tried (the host is closing); they are logged as stopped. */
  close(): void {
    this.#closing.abort();
  }

  #alertKind(run: RunDto): AlertKind | null {
    if (run.status === 'failed' || run.status === 'interrupted') return 'failed';
    if (run.status !== 'succeeded') return null;
    const before = this.deps.runs.previousOutcome(run);
    return before === 'failed' || before === 'interrupted' ? 'recovered' : null;
  }

  #webhooks(jobId: string, runId: string): Target[] {
    const targets: Target[] = [];
    const own = this.#jobUrl(jobId, 'webhookUrl', runId);
    if (own) targets.push({ channel: 'job webhook', url: own, format: this.deps.jobs.get(jobId).webhookFormat });
    try {
      const global = this.deps.settings.webhookUrl();
      if (global) targets.push({ channel: 'global webhook', url: global, format: this.deps.settings.get().webhookFormat });
    } catch (error) {
      this.#cannotOpen(runId, 'the global webhook', error);
    }
    return targets;
  }

  /** A job's sealed URL, or null; a key that cannot open it is said in the run's log, not thrown. */
  #jobUrl(jobId: string, name: 'webhookUrl' | 'healthchecksUrl', runId: string): string | null {
    try {
      const job = this.deps.jobs.get(jobId);
      if (!(name === 'webhookUrl' ? job.hasWebhook : job.hasHealthchecks)) return null;
      return this.deps.jobs.secrets(jobId)[name] ?? null;
    } catch (error) {
      this.#cannotOpen(runId, name === 'webhookUrl' ? "the job's webhook" : "the job's Healthchecks URL", error);
      return null;
    }
  }

  #cannotOpen(runId: string, what: string, error: unknown): void {
    const message = `No notification was sent to ${what}: ${error instanceof Error ? error.message : String(error)}`;
    this.deps.log.warn('notification not sent', { runId, what, error: message });
    this.#appendLog(runId, 'warn', message);
  }

  #report(runId: string, channel: Channel, url: string, what: string, result: DeliveryResult, inRunLog = true): void {
    const target = redactUrl(url);
    const fields = { runId, channel, what, target, attempts: result.attempts, outcome: result.message };
    if (result.ok) this.deps.log.info('notification delivered', fields);
    else this.deps.log.warn('notification not delivered', fields);
    if (inRunLog) this.#appendLog(runId, result.ok ? 'info' : 'warn', `${capitalized(channel)} ${what} to ${target}: ${result.message}.`);
  }

  #appendLog(runId: string, level: 'info' | 'warn', message: string): void {
    try {
      this.deps.runs.appendLog(runId, { time: this.deps.now().toISOString(), level, message });
    } catch (error) {
      // The store may be closed by now (a host that stopped waiting): the logger has it.
      this.deps.log.debug('could not add a notification outcome to the run log', { runId, error: String(error) });
    }
  }

  #track(send: () => Promise<void>): Promise<void> {
    const p = send().catch((error: unknown) => this.deps.log.warn('notification failed', { error: String(error) }));
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p));
    return p;
  }
}

/**
 * Who shows a test alert: the desktop app as an OS notification; under serve (or the daemon's)
 * the listeners are the browser pages' sockets, and a page shows it in itself, not on the desktop.
 */
function desktopOutcome(host: AppHost, shown: boolean): NotificationOutcomeDto {
  if (!shown) return { channel: 'desktop', target: 'OS notification', ok: false, message: 'no desktop app is connected to this process (the CLI cannot show OS notifications)' };
  if (host === 'serve' || host === 'daemon') {
    return { channel: 'desktop', target: 'browser page', ok: true, message: 'shown in each Vaultdesk page open in a browser; no desktop app runs in this process, so no OS notification is shown' };
  }
  return { channel: 'desktop', target: 'OS notification', ok: true, message: 'handed to the app connected to this process (the desktop app shows it as an OS notification)' };
}

/** Healthchecks' endpoints: the URL itself for success, `/start`, `/fail`, `/log`; `rid` pairs a start with its end. */
function pingUrl(base: string, kind: 'start' | 'success' | 'fail' | 'log', runId: string | null): string {
  const url = new URL(base);
  url.pathname = url.pathname.replace(/\/+$/, '') + (kind === 'success' ? '' : `/${kind}`);
  if (runId) url.searchParams.set('rid', runId);
  return url.toString();
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
