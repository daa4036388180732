import { existsSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobDto, NotificationAlertDto } from '../../../shared/domain/dto';
import type { RunDto } from '../../../shared/domain/runs';
import { DB_FILE, type Core } from '../create-core';
import { jsonLogger } from '../logger';
import { seedSqliteFile } from '../testing/db-fixtures';
import { startHttpRecorder, type HttpRecorder, type RecordedRequest } from '../testing/http-recorder';
import { tempCore, tempDir } from '../testing/temp-dir';

/** The part of each URL that is its credential: it must never be shown, logged or recorded in clear. */
const JOB_TOKEN = 'T0JOB/B0JOB/job-webhook-secret-token';
const GLOBAL_TOKEN = 'T0ALL/B0ALL/global-webhook-secret-token';
const HC_UUID = '5f0c3a4e-9b1d-4c2e-8f7a-hc-secret-uuid';

/** Quick retries, so a test sees them all in seconds. */
const FAST = { retries: 4, minTimeoutMs: 200, factor: 2, requestTimeoutMs: 5_000 };

describe('notifications', () => {
  let t: ReturnType<typeof tempDir>;
  let core: Core;
  let server: HttpRecorder;
  let sourceFile: string;
  let logLines: string[];
  let alerts: NotificationAlertDto[];
  let job: JobDto;

  const open = async (delivery = FAST): Promise<Core> => {
    const c = await tempCore(t.dir, undefined, { log: jsonLogger((l) => logLines.push(l), 'debug'), notificationDelivery: delivery });
    c.events.on('notifications:alert', (a) => alerts.push(a));
    return c;
  };

  beforeEach(async () => {
    t = tempDir('vaultdesk-notify-');
    logLines = [];
    alerts = [];
    server = await startHttpRecorder();
    core = await open();
    sourceFile = path.join(t.dir, 'shop.db');
    seedSqliteFile(sourceFile, 20);
    const source = await core.call('sources:create', { engine: 'sqlite', name: 'shop', path: sourceFile });
    const dest = await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') });
    job = await core.call('jobs:create', { name: 'shop-nightly', sourceId: source.id, destinationIds: [dest.id], compression: 'none' });
  });

  afterEach(async () => {
    core.close();
    await server.down();
    t.cleanup();
  });

  /** Runs the job to its end and waits for every notification it caused. */
  const run = async (): Promise<RunDto> => {
    const result = await core.runService.start(job.id, 'manual').finished;
    expect(await core.drainNotifications(60_000)).toBe(true);
    return core.runs.get(result.id);
  };
  /** The source file goes missing: the run fails while dumping. */
  const breakSource = (): void => renameSync(sourceFile, `${sourceFile}.moved`);
  const mendSource = (): void => renameSync(`${sourceFile}.moved`, sourceFile);
  const at = (prefix: string): RecordedRequest[] => server.requests.filter((r) => r.url.startsWith(prefix));

  /** Nothing the contract returns, nothing logged and nothing in the store's files shows a URL's secret part. */
  const expectNoSecretsShown = async (...runs: RunDto[]): Promise<void> => {
    const shown = JSON.stringify([
      await core.call('jobs:list', {}),
      await core.call('jobs:get', { id: job.id }),
      await core.call('settings:get', {}),
      await core.call('runs:list', { limit: 50 }),
      ...(await Promise.all(runs.map((r) => core.call('runs:get', { id: r.id })))),
      logLines,
      alerts,
    ]);
    const base = path.join(t.dir, 'data', DB_FILE);
    const files = Buffer.concat([base, `${base}-wal`].filter(existsSync).map((f) => readFileSync(f)));
    for (const secret of [JOB_TOKEN, GLOBAL_TOKEN, HC_UUID, 'secret-token', 'hc-secret']) {
      expect(shown).not.toContain(secret);
      expect(files.includes(Buffer.from(secret))).toBe(false);
    }
  };

  it('webhooks (json, slack, discord) are told of a failure and of the first success after it, not of a second success', async () => {
    job = await core.call('jobs:update', { id: job.id, webhookUrl: `${server.base}/job/${JOB_TOKEN}`, webhookFormat: 'json' });
    expect(job).toMatchObject({ hasWebhook: true, webhookHost: `127.0.0.1:${server.port}/…`, webhookFormat: 'json' });
    expect(await core.call('settings:setWebhook', { url: `${server.base}/all/${GLOBAL_TOKEN}`, format: 'slack' })).toMatchObject({ hasWebhook: true, webhookHost: `127.0.0.1:${server.port}/…`, webhookFormat: 'slack' });

    breakSource();
    const failed = await run();
    expect(failed.status).toBe('failed');
    expect(at('/job/')).toHaveLength(1);
    expect(at('/all/')).toHaveLength(1);
    const jsonBody = JSON.parse(at('/job/')[0]!.body) as { event: string; text: string; job: { name: string }; run: RunDto };
    expect(at('/job/')[0]!.contentType).toBe('application/json');
    expect(jsonBody).toMatchObject({ event: 'run.failed', job: { id: job.id, name: 'shop-nightly' }, run: { id: failed.id, status: 'failed', error: { stage: failed.error!.stage, code: failed.error!.code } } });
    const slack = JSON.parse(at('/all/')[0]!.body) as Record<string, string>;
    expect(Object.keys(slack)).toEqual(['text']);
    expect(slack.text).toMatch(new RegExp(`^Vaultdesk: Job shop-nightly failed while \\w+ after \\d+ s\\. \\[${failed.error!.code}\\] `));
    expect(alerts).toEqual([{ kind: 'failed', title: 'Backup failed: shop-nightly', body: expect.stringContaining(failed.error!.code), runId: failed.id, jobId: job.id }]);
    expect(failed.log.filter((l) => l.message.includes('notification'))).toEqual([
      expect.objectContaining({ level: 'info', message: expect.stringMatching(/^(Job|Global) webhook failure notification to 127\.0\.0\.1:\d+\/…: delivered \(HTTP 200\)\.$/) }),
      expect.objectContaining({ level: 'info', message: expect.stringMatching(/^(Job|Global) webhook failure notification to 127\.0\.0\.1:\d+\/…: delivered \(HTTP 200\)\.$/) }),
    ]);

    mendSource();
    const recovered = await run();
    expect(recovered.status).toBe('succeeded');
    expect(at('/job/')).toHaveLength(2);
    expect(JSON.parse(at('/job/')[1]!.body)).toMatchObject({ event: 'run.recovered', run: { id: recovered.id, status: 'succeeded' } });
    expect(JSON.parse(at('/all/')[1]!.body)).toEqual({ text: expect.stringMatching(/^Vaultdesk: Job shop-nightly succeeded again after a failure \(took \d+ s\)\.$/) });
    expect(alerts.map((a) => a.kind)).toEqual(['failed', 'recovered']);

    const again = await run();
    expect(again.status).toBe('succeeded');
    expect(server.requests).toHaveLength(4);
    expect(alerts).toHaveLength(2);

    // Discord's body shape, through the same failure -> recovery -> success sequence.
    await core.call('jobs:update', { id: job.id, webhookFormat: 'discord' });
    await core.call('settings:setWebhook', { url: null });
    breakSource();
    const failedAgain = await run();
    mendSource();
    await run();
    await run();
    const discord = at('/job/').slice(2).map((r) => JSON.parse(r.body) as Record<string, string>);
    expect(discord).toEqual([
      { content: expect.stringMatching(/^Vaultdesk: Job shop-nightly failed while \w+ after \d+ s\. \[\w+\] /) },
      { content: expect.stringMatching(/^Vaultdesk: Job shop-nightly succeeded again after a failure/) },
    ]);
    expect(server.requests).toHaveLength(6);
    await expectNoSecretsShown(failed, recovered, again, failedAgain);
  });

  it('Healthchecks gets /start, then the URL itself on success or /fail with the error, on every run', async () => {
    await core.call('jobs:update', { id: job.id, healthchecksUrl: `${server.base}/ping/${HC_UUID}` });
    expect(await core.call('jobs:get', { id: job.id })).toMatchObject({ hasHealthchecks: true, healthchecksHost: `127.0.0.1:${server.port}/…` });
    const ok = await run();
    const ok2 = await run();
    breakSource();
    const failed = await run();
    const pings = server.requests.map((r) => ({ method: r.method, url: r.url, body: r.body }));
    expect(pings).toEqual([
      { method: 'POST', url: `/ping/${HC_UUID}/start?rid=${ok.id}`, body: '' },
      { method: 'POST', url: `/ping/${HC_UUID}?rid=${ok.id}`, body: '' },
      { method: 'POST', url: `/ping/${HC_UUID}/start?rid=${ok2.id}`, body: '' },
      { method: 'POST', url: `/ping/${HC_UUID}?rid=${ok2.id}`, body: '' },
      { method: 'POST', url: `/ping/${HC_UUID}/start?rid=${failed.id}`, body: '' },
      { method: 'POST', url: `/ping/${HC_UUID}/fail?rid=${failed.id}`, body: `failed: [${failed.error!.code}] ${failed.error!.message}` },
    ]);
    expect(failed.log.at(-1)!.message).toMatch(/^Healthchecks failure ping to 127\.0\.0\.1:\d+\/…: delivered \(HTTP 200\)\.$/);
    await expectNoSecretsShown(ok, ok2, failed);
  });

  it('a server that is down holds nothing up: the run succeeds, and delivery is retried until it comes up', async () => {
    await server.down();
    await core.call('jobs:update', { id: job.id, healthchecksUrl: `${server.base}/ping/${HC_UUID}` });
    const result = await core.runService.start(job.id, 'manual').finished;
    expect(result.status).toBe('succeeded');
    // The run has ended while its pings are still being retried.
    expect(core.notifier.pending).toBeGreaterThan(0);
    expect(server.requests).toEqual([]);
    await new Promise((r) => setTimeout(r, 500));
    await server.up();
    expect(await core.drainNotifications(60_000)).toBe(true);
    expect(server.requests.map((r) => r.url)).toEqual([`/ping/${HC_UUID}/start?rid=${result.id}`, `/ping/${HC_UUID}?rid=${result.id}`]);
    const log = core.runs.get(result.id).log.map((l) => l.message);
    expect(log.at(-1)).toMatch(/^Healthchecks success ping to 127\.0\.0\.1:\d+\/…: delivered \(HTTP 200\)\.$/);
    // The start ping went through on a later attempt, once the server was up; the end ping waited for it.
    const start = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.message === 'notification delivered' && l.what === 'start ping');
    expect(start).toMatchObject({ runId: result.id, channel: 'healthchecks', outcome: expect.stringMatching(/^delivered \(HTTP 200\) at attempt [2-5]$/) });
    expect(start!.attempts).toBeGreaterThan(1);
    expect(core.runs.get(result.id).status).toBe('succeeded');
    await expectNoSecretsShown(result);
  });

  it('a server that stays down: delivery gives up after the last attempt, and says so in the run and the log', async () => {
    await server.down();
    await core.call('jobs:update', { id: job.id, webhookUrl: `${server.base}/job/${JOB_TOKEN}` });
    breakSource();
    const result = await core.runService.start(job.id, 'manual').finished;
    expect(result.status).toBe('failed');
    expect(await core.drainNotifications(60_000)).toBe(true);
    const line = core.runs.get(result.id).log.at(-1)!;
    expect(line).toMatchObject({ level: 'warn', message: `Job webhook failure notification to 127.0.0.1:${server.port}/…: gave up after 5 attempts: connection refused (is the server up?).` });
    const logged = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.message === 'notification not delivered');
    expect(logged).toEqual([expect.objectContaining({ level: 'warn', runId: result.id, channel: 'job webhook', target: `127.0.0.1:${server.port}/…`, attempts: 5 })]);
    expect(server.requests).toEqual([]);
    await expectNoSecretsShown(result);
  });

  it('a 4xx answer is not retried: the URL is wrong, and the words say to check it', async () => {
    await server.down();
    server = await startHttpRecorder({ status: () => 404 });
    await core.call('jobs:update', { id: job.id, webhookUrl: `${server.base}/job/${JOB_TOKEN}`, webhookFormat: 'slack' });
    breakSource();
    const result = await run();
    expect(server.requests).toHaveLength(1);
    expect(result.log.at(-1)).toMatchObject({ level: 'warn', message: `Job webhook failure notification to 127.0.0.1:${server.port}/…: refused with HTTP 404 (check the URL).` });
  });

  it('a run left interrupted by a process that died is notified by the process that finds it', async () => {
    await core.call('jobs:update', { id: job.id, webhookUrl: `${server.base}/job/${JOB_TOKEN}` });
    // A run owned by a process that no longer exists, as a killed CLI leaves it.
    core.runs.create(
      { id: '6a1d2c3b-0000-4000-8000-00000000dead', jobId: job.id, jobName: job.name, trigger: 'schedule', startedAt: new Date().toISOString(), owner: { startId: 'gone-process', pid: 999_999 } },
      { alive: () => true, describe: () => 'a test', interruptedMessage: () => '' },
    );
    core.close();
    core = await open();
    expect(await core.drainNotifications(60_000)).toBe(true);
    expect(core.runs.get('6a1d2c3b-0000-4000-8000-00000000dead').status).toBe('interrupted');
    expect(at('/job/')).toHaveLength(1);
    expect(JSON.parse(at('/job/')[0]!.body)).toMatchObject({ event: 'run.failed', run: { status: 'interrupted', error: { code: 'INTERRUPTED' } } });
    expect(alerts).toEqual([expect.objectContaining({ kind: 'failed', title: 'Backup was interrupted: shop-nightly' })]);
  });

  it('notifications:test sends once through each configured channel and says how each went', async () => {
    const down = await startHttpRecorder({ listen: false });
    await core.call('jobs:update', { id: job.id, webhookUrl: `${server.base}/job/${JOB_TOKEN}`, webhookFormat: 'discord', healthchecksUrl: `${server.base}/ping/${HC_UUID}` });
    await core.call('settings:setWebhook', { url: `${down.base}/all/${GLOBAL_TOKEN}`, format: 'json' });
    const outcomes = await core.call('notifications:test', { jobId: job.id });
    expect(outcomes).toEqual([
      { channel: 'job webhook', target: `127.0.0.1:${server.port}/…`, ok: true, message: 'delivered (HTTP 200)' },
      { channel: 'global webhook', target: `127.0.0.1:${down.port}/…`, ok: false, message: 'connection refused (is the server up?)' },
      { channel: 'healthchecks', target: `127.0.0.1:${server.port}/…`, ok: true, message: 'delivered (HTTP 200)' },
      { channel: 'desktop', target: 'OS notification', ok: true, message: expect.stringContaining('handed to the app') },
    ]);
    expect(server.requests.map((r) => r.url).sort()).toEqual([`/job/${JOB_TOKEN}`, `/ping/${HC_UUID}/log`]);
    expect(JSON.parse(server.requests.find((r) => r.url.startsWith('/job/'))!.body)).toEqual({ content: 'Vaultdesk: Test notification for job shop-nightly: this channel reaches you.' });
    expect(alerts).toEqual([expect.objectContaining({ kind: 'test', runId: null, jobId: job.id })]);
    // Without a job: the global webhook and the desktop only.
    expect((await core.call('notifications:test', {})).map((o) => o.channel)).toEqual(['global webhook', 'desktop']);
  });

  it('a URL with user:password@ is sent with HTTP Basic authentication, through every channel, and its password is never shown', async () => {
    // Percent-encoded as a URL must carry them; the header gets them decoded, as curl sends them.
    const auth = (user: string): string => `http://${user}:p%40ss%3Aw%2Frd-secret@127.0.0.1:${server.port}`;
    const basic = (user: string): string => `Basic ${Buffer.from(`${user}:p@ss:w/rd-secret`).toString('base64')}`;
    job = await core.call('jobs:update', { id: job.id, webhookUrl: `${auth('hookuser')}/job/${JOB_TOKEN}`, healthchecksUrl: `${auth('hcuser')}/ping/${HC_UUID}` });
    await core.call('settings:setWebhook', { url: `${auth('alluser')}/all/${GLOBAL_TOKEN}`, format: 'json' });
    expect(job).toMatchObject({ webhookHost: `127.0.0.1:${server.port}/…`, healthchecksHost: `127.0.0.1:${server.port}/…` });
    const outcomes = await core.call('notifications:test', { jobId: job.id });
    expect(outcomes.filter((o) => o.channel !== 'desktop').map((o) => [o.channel, o.ok, o.message])).toEqual([
      ['job webhook', true, 'delivered (HTTP 200)'],
      ['global webhook', true, 'delivered (HTTP 200)'],
      ['healthchecks', true, 'delivered (HTTP 200)'],
    ]);
    const seen = Object.fromEntries(server.requests.map((r) => [r.url, r.authorization]));
    expect(seen).toEqual({ [`/job/${JOB_TOKEN}`]: basic('hookuser'), [`/all/${GLOBAL_TOKEN}`]: basic('alluser'), [`/ping/${HC_UUID}/log`]: basic('hcuser') });
    // A failed run's alert and ping go the same way.
    breakSource();
    await run();
    expect(server.requests.slice(3).map((r) => r.authorization)).toEqual(Array(4).fill(expect.stringMatching(/^Basic /)));
    await expectNoSecretsShown();
    expect(JSON.stringify([await core.call('jobs:get', { id: job.id }), await core.call('settings:get', {}), logLines, outcomes])).not.toContain('w/rd-secret');
  });

  it('refuses, when saved, a URL on a port fetch will never connect to, and says why', async () => {
    const refused = { ok: false, error: { code: 'VALIDATION_FAILED', message: expect.stringContaining("port 6000 is one that browsers and Node's fetch refuse to connect to") } };
    expect(await core.invoke('jobs:update', { id: job.id, webhookUrl: 'http://127.0.0.1:6000/hook' })).toMatchObject({ ...refused, error: { ...refused.error, details: { field: 'webhookUrl' } } });
    expect(await core.invoke('jobs:update', { id: job.id, healthchecksUrl: 'https://hc.example.org:6000/ping/x' })).toMatchObject({ ...refused, error: { ...refused.error, details: { field: 'healthchecksUrl' } } });
    expect(await core.invoke('jobs:create', { name: 'other', sourceId: job.sourceId, destinationIds: job.destinationIds, webhookUrl: 'http://127.0.0.1:6000/hook' })).toMatchObject(refused);
    expect(await core.invoke('settings:setWebhook', { url: 'http://127.0.0.1:6000/hook', format: 'json' })).toMatchObject({ ...refused, error: { ...refused.error, details: { field: 'url' } } });
    expect(await core.call('jobs:get', { id: job.id })).toMatchObject({ hasWebhook: false, hasHealthchecks: false });
    expect(await core.call('settings:get', {})).toMatchObject({ webhookHost: null });
  });

  it('job URLs can be removed, and a key rotation and reset cover them like every other secret', async () => {
    await core.call('jobs:update', { id: job.id, webhookUrl: `${server.base}/job/${JOB_TOKEN}`, healthchecksUrl: `${server.base}/ping/${HC_UUID}` });
    await core.call('settings:setWebhook', { url: `${server.base}/all/${GLOBAL_TOKEN}`, format: 'json' });
    // An update that does not name the URLs keeps them.
    expect(await core.call('jobs:update', { id: job.id, hookTimeoutSeconds: 60 })).toMatchObject({ hasWebhook: true, hasHealthchecks: true, hookTimeoutSeconds: 60 });
    expect((await core.call('keys:rotate', {})).secretsReencrypted).toBe(2);
    expect(core.jobs.secrets(job.id)).toEqual({ webhookUrl: `${server.base}/job/${JOB_TOKEN}`, healthchecksUrl: `${server.base}/ping/${HC_UUID}` });
    expect(core.settings.webhookUrl()).toBe(`${server.base}/all/${GLOBAL_TOKEN}`);
    expect(await core.call('jobs:update', { id: job.id, healthchecksUrl: null })).toMatchObject({ hasWebhook: true, hasHealthchecks: false, healthchecksHost: null });
    expect((await core.keys.reset()).secretsCleared).toBe(2);
    expect(await core.call('jobs:get', { id: job.id })).toMatchObject({ hasWebhook: false, webhookHost: null, hasHealthchecks: false });
    expect(await core.call('settings:get', {})).toMatchObject({ hasWebhook: false, webhookHost: null });
    await expectNoSecretsShown();
  });

  it('refuses URLs that are not http(s), and an unknown format', async () => {
    for (const webhookUrl of ['ftp://example.org/x', 'not a url', 'file:///etc/passwd']) {
      expect(await core.invoke('jobs:update', { id: job.id, webhookUrl })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: { field: 'webhookUrl' } } });
    }
    expect(await core.invoke('jobs:update', { id: job.id, webhookFormat: 'teams' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: { field: 'webhookFormat' } } });
    expect(await core.invoke('jobs:update', { id: job.id, preHook: { shell: false, argv: [] } })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });
});
