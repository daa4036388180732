import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asyncCliRunner, cliRunner } from '../core/testing/cli-runner';
import { seedSqliteFile } from '../core/testing/db-fixtures';
import { startHttpRecorder, type HttpRecorder } from '../core/testing/http-recorder';
import { tempDir } from '../core/testing/temp-dir';

const t = tempDir('vaultdesk-notify-cli-');
const dataDir = path.join(t.dir, 'data');
const keyFile = path.join(t.dir, 'master.key');
const TOKEN = 'T0CLI/B0CLI/cli-webhook-secret-token';

const vaultdesk = cliRunner(t.dir, { dataDir, keyFile });

/** Like `vaultdesk`, but without blocking the test's event loop, which serves the webhook. */
const vaultdeskAsync = asyncCliRunner(t.dir, { dataDir, keyFile });

describe('vaultdesk CLI: hooks and notifications', { timeout: 120_000 }, () => {
  let server: HttpRecorder;
  beforeAll(async () => {
    server = await startHttpRecorder();
    seedSqliteFile(path.join(t.dir, 'app.db'), 10);
    expect(vaultdesk(['source', 'add', 'sqlite', '--name', 'app', '--path', path.join(t.dir, 'app.db')]).code).toBe(0);
    expect(vaultdesk(['destination', 'add', 'local', '--name', 'nas', '--path', path.join(t.dir, 'backups'), '--default']).code).toBe(0);
  });
  afterAll(async () => {
    await server.down();
    t.cleanup();
  });

  it('job add takes hooks as typed (split without a shell) and a webhook URL from the environment', () => {
    const added = vaultdesk(
      ['job', 'add', '--name', 'app-nightly', '--source', 'app', '--pre-hook', `sh -c 'echo "pre for $VAULTDESK_JOB"'`, '--post-hook', `echo "$VAULTDESK_STATUS" > '${t.dir}/status.txt'`, '--hook-shell', '--hook-timeout', '2m', '--webhook-env', 'HOOK_URL', '--webhook-format', 'slack', '--json'],
      { env: { HOOK_URL: `${server.base}/hook/${TOKEN}` } },
    );
    expect(added.stderr).toBe('');
    const job = JSON.parse(added.stdout) as Record<string, unknown>;
    // --hook-shell applies to both hooks given in the same command.
    expect(job).toMatchObject({
      preHook: { shell: true, script: `sh -c 'echo "pre for $VAULTDESK_JOB"'` },
      postHook: { shell: true, script: `echo "$VAULTDESK_STATUS" > '${t.dir}/status.txt'` },
      hookTimeoutSeconds: 120,
      hasWebhook: true,
      webhookHost: `127.0.0.1:${server.port}/…`,
      webhookFormat: 'slack',
      hasHealthchecks: false,
    });
    expect(added.stdout).not.toContain(TOKEN);
    const updated = JSON.parse(vaultdesk(['job', 'update', 'app-nightly', '--pre-hook', `sh -c 'echo "pre for $0"' quoted\\ arg`, '--json']).stdout) as Record<string, unknown>;
    expect(updated.preHook).toEqual({ shell: false, argv: ['sh', '-c', 'echo "pre for $0"', 'quoted arg'] });
    const show = vaultdesk(['job', 'show', 'app-nightly']);
    expect(show.stdout).toMatch(/pre-run hook +sh -c 'echo "pre for \$0"' 'quoted arg'\n/);
    expect(show.stdout).toMatch(/webhook +127\.0\.0\.1:\d+\/… \(slack\)\n/);
    expect(show.stdout).not.toContain(TOKEN);
  });

  it('refuses shell syntax without --hook-shell, and a duration without a unit', () => {
    const piped = vaultdesk(['job', 'update', 'app-nightly', '--pre-hook', 'pg_dumpall | gzip']);
    expect(piped.code).toBe(2);
    expect(piped.stderr).toBe('vaultdesk: error [VALIDATION_FAILED]: --pre-hook "pg_dumpall | gzip" cannot run without a shell: it uses the shell operator |: add --hook-shell to run it with a shell, or put it in a script.\n');
    const before = JSON.parse(vaultdesk(['job', 'show', 'app-nightly', '--json']).stdout) as { preHook: unknown; postHook: unknown };
    const unclosed = vaultdesk(['job', 'update', 'app-nightly', '--post-hook', `/bin/echo "it's unterminated`]);
    expect(unclosed.code).toBe(2);
    expect(unclosed.stderr).toBe(
      `vaultdesk: error [VALIDATION_FAILED]: --post-hook "/bin/echo "it's unterminated" cannot be run as written: the " before it's unterminated is never closed, and a shell would refuse the line too: close it, or write \\" where a " is part of an argument.\n`,
    );
    const tilde = vaultdesk(['job', 'update', 'app-nightly', '--pre-hook', '~/bin/prep.sh']);
    expect(tilde.code).toBe(2);
    expect(tilde.stderr).toBe(
      'vaultdesk: error [VALIDATION_FAILED]: --pre-hook "~/bin/prep.sh" cannot run without a shell: ~/bin/prep.sh starts with ~, which only a shell turns into a home folder, that of the user the job runs as: write the full path, or add --hook-shell to run it with a shell.\n',
    );
    // Refused, nothing changed.
    expect(JSON.parse(vaultdesk(['job', 'show', 'app-nightly', '--json']).stdout)).toMatchObject(before);
    const bare = vaultdesk(['job', 'update', 'app-nightly', '--hook-timeout', '30']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('--hook-timeout takes a duration like 30s, 5m or 1h');
    expect(vaultdesk(['job', 'update', 'app-nightly', '--hook-shell']).stderr).toContain('--hook-shell applies to a --pre-hook or --post-hook');
    expect(vaultdesk(['job', 'update', 'app-nightly', '--webhook', 'x', '--webhook-env', 'Y']).stderr).toContain('Give --webhook or --webhook-env, not both.');
  });

  it('backup run keeps the hook output with the run, and notify test reaches the webhook', async () => {
    const ran = await vaultdeskAsync(['backup', 'run', 'app-nightly', '--json']);
    expect(ran.code).toBe(0);
    const run = JSON.parse(ran.stdout) as { id: string; status: string; hooks: { pre: { output: string } } };
    expect(run).toMatchObject({ status: 'succeeded', hooks: { pre: { output: 'pre for quoted arg\n' } } });
    expect(readFileSync(path.join(t.dir, 'status.txt'), 'utf8')).toBe('succeeded\n');
    // A success after no failure tells nobody.
    expect(server.requests).toEqual([]);
    const shown = vaultdesk(['run', 'show', run.id]);
    expect(shown.stdout).toMatch(/\nThe pre-run hook `sh -c 'echo "pre for \$0"' 'quoted arg'` succeeded \(\d+\.\d s\)\.\n/);
    expect(shown.stdout).toContain('  | pre for quoted arg\n');

    const tested = await vaultdeskAsync(['notify', 'test', 'app-nightly']);
    expect(tested.code).toBe(0);
    expect(tested.stdout).toMatch(/job webhook +127\.0\.0\.1:\d+\/… +ok: delivered \(HTTP 200\)\n/);
    expect(tested.stdout).toMatch(/desktop +OS notification +FAILED: no desktop app is connected/);
    expect(server.requests.map((r) => [r.url, JSON.parse(r.body) as unknown])).toEqual([[`/hook/${TOKEN}`, { text: 'Vaultdesk: Test notification for job app-nightly: this channel reaches you.' }]]);
  });

  it('a failed backup run delivers its webhook before the command exits; settings webhook sets and clears the global one', async () => {
    expect(vaultdesk(['settings', 'webhook', '--env', 'ALL_URL', '--format', 'discord'], { env: { ALL_URL: `${server.base}/all/${TOKEN}` } }).stdout).toMatch(/^The global webhook is 127\.0\.0\.1:\d+\/… \(discord\)\.\n$/);
    expect(vaultdesk(['settings', 'show']).stdout).toMatch(/global webhook: 127\.0\.0\.1:\d+\/… \(discord\)\n/);
    expect(vaultdesk(['job', 'update', 'app-nightly', '--pre-hook', 'false']).code).toBe(0);
    const before = server.requests.length;
    const failed = await vaultdeskAsync(['backup', 'run', 'app-nightly']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/error +stage pre-hook: \[HOOK_FAILED\] The pre-run hook `false` exited with code 1\. Nothing was backed up\. It printed nothing\./);
    // A run that failed kept nothing: "stored" says so rather than "0".
    expect(failed.stdout).toMatch(/^dumped +0 B \(0 bytes\)\nstored +nothing\n/m);
    // Both webhooks were delivered by the time the command exited.
    const after = server.requests.slice(before).map((r) => r.url).sort();
    expect(after).toEqual([`/all/${TOKEN}`, `/hook/${TOKEN}`]);
    expect(vaultdesk(['settings', 'webhook', '--clear']).stdout).toBe('There is no global webhook.\n');
    expect(vaultdesk(['job', 'update', 'app-nightly', '--no-pre-hook', '--no-post-hook', '--no-webhook', '--json']).stdout).toMatch(/"preHook": null,\s+"postHook": null[\s\S]*"hasWebhook": false/);
    for (const command of ['job list --json', 'run list --json', 'settings show --json']) expect(vaultdesk(command.split(' ')).stdout).not.toContain(TOKEN);
  });

  it('a URL with user:password@ is sent with Basic authentication; one on a port fetch refuses is refused when saved', async () => {
    const url = `http://hookuser:hook%40pass@127.0.0.1:${server.port}/basic/${TOKEN}`;
    expect(vaultdesk(['job', 'update', 'app-nightly', '--webhook-env', 'AUTH_URL', '--healthchecks-env', 'AUTH_URL'], { env: { AUTH_URL: url } }).code).toBe(0);
    expect(vaultdesk(['settings', 'webhook', '--env', 'AUTH_URL'], { env: { AUTH_URL: url } }).code).toBe(0);
    const before = server.requests.length;
    const tested = await vaultdeskAsync(['notify', 'test', 'app-nightly']);
    expect(tested.stdout).toMatch(/job webhook +127\.0\.0\.1:\d+\/… +ok: delivered \(HTTP 200\)\n/);
    expect(tested.stdout).toMatch(/global webhook +127\.0\.0\.1:\d+\/… +ok: delivered \(HTTP 200\)\n/);
    expect(tested.stdout).toMatch(/healthchecks +127\.0\.0\.1:\d+\/… +ok: delivered \(HTTP 200\)\n/);
    expect(server.requests.slice(before).map((r) => r.authorization)).toEqual(Array(3).fill(`Basic ${Buffer.from('hookuser:hook@pass').toString('base64')}`));
    expect(vaultdesk(['job', 'show', 'app-nightly']).stdout).not.toContain('hook@pass');

    const blocked = { BLOCKED: 'http://127.0.0.1:6000/hook' };
    const words = "port 6000 is one that browsers and Node's fetch refuse to connect to (the fetch standard's blocked ports): move the receiver to another port\n";
    for (const [args, field] of [
      [['job', 'update', 'app-nightly', '--webhook-env', 'BLOCKED'], 'webhookUrl'],
      [['job', 'update', 'app-nightly', '--healthchecks-env', 'BLOCKED'], 'healthchecksUrl'],
      [['settings', 'webhook', '--env', 'BLOCKED'], 'url'],
    ] as const) {
      const refused = vaultdesk([...args], { env: blocked });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toBe(`vaultdesk: error [VALIDATION_FAILED]: Invalid input: ${field}: ${words}`);
    }
    // Nothing changed: the URLs saved before are still the ones used.
    expect(vaultdesk(['settings', 'show']).stdout).toMatch(/global webhook: 127\.0\.0\.1:\d+\/…/);
    expect(vaultdesk(['settings', 'webhook', '--clear']).code).toBe(0);
    expect(vaultdesk(['job', 'update', 'app-nightly', '--no-webhook', '--no-healthchecks']).code).toBe(0);
  });

  it('a failed backup run waits out the retries of a webhook that is down, and logs how each delivery ended', { timeout: 150_000 }, async () => {
    // 503 twice, then 200: delivered at the third attempt (7 s of back-off).
    let answered = 0;
    const flaky = await startHttpRecorder({ status: () => (++answered <= 2 ? 503 : 200) });
    // Nothing listens: 5 attempts over about 50 s, then it gives up.
    const gone = await startHttpRecorder({ listen: false });
    try {
      expect(vaultdesk(['job', 'update', 'app-nightly', '--pre-hook', 'false', '--webhook-env', 'FLAKY', '--webhook-format', 'json'], { env: { FLAKY: `${flaky.base}/flaky/${TOKEN}` } }).code).toBe(0);
      expect(vaultdesk(['settings', 'webhook', '--env', 'GONE'], { env: { GONE: `${gone.base}/gone/${TOKEN}` } }).code).toBe(0);
      const failed = await vaultdeskAsync(['backup', 'run', 'app-nightly', '--json']);
      expect(failed.code).toBe(1);
      const run = JSON.parse(failed.stdout) as { id: string };
      expect(failed.stderr).toContain('Delivering notifications (a failed delivery is retried for about a minute)...\n');
      expect(failed.stderr).toMatch(/warning: Notification not delivered \(.*channel: global webhook.*attempts: 5, outcome: gave up after 5 attempts: connection refused \(is the server up\?\)\)\.\n/);
      expect(flaky.requests.map((r) => r.url)).toEqual(Array(3).fill(`/flaky/${TOKEN}`));
      expect(JSON.parse(flaky.requests[2]!.body)).toMatchObject({ event: 'run.failed', run: { id: run.id, status: 'failed' }, job: { name: 'app-nightly' } });
      const log = (JSON.parse(vaultdesk(['run', 'show', run.id, '--json']).stdout) as { log: { level: string; message: string }[] }).log;
      expect(log).toContainEqual(expect.objectContaining({ level: 'info', message: `Job webhook failure notification to 127.0.0.1:${flaky.port}/…: delivered (HTTP 200) at attempt 3.` }));
      expect(log).toContainEqual(
        expect.objectContaining({ level: 'warn', message: `Global webhook failure notification to 127.0.0.1:${gone.port}/…: gave up after 5 attempts: connection refused (is the server up?).` }),
      );
    } finally {
      expect(vaultdesk(['settings', 'webhook', '--clear']).code).toBe(0);
      expect(vaultdesk(['job', 'update', 'app-nightly', '--no-pre-hook', '--no-webhook']).code).toBe(0);
      await flaky.down();
    }
  });

  it('says in --help how to keep the URLs out of the process list', () => {
    const help = vaultdesk(['job', 'update', '--help']).stdout;
    expect(help).toContain('--webhook-env <var>');
    expect(help).toContain('--healthchecks-env <var>');
    expect(help).toContain('prefer --webhook-env');
  });
});
