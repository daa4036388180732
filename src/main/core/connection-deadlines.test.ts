import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from './create-core';
import { dispatch, type Handlers } from './dispatch';
import { createHandlers } from './handlers';
import { silentLogger } from './logger';
import { startSilentServer, type SilentServer } from './testing/silent-server';
import { tempCore, tempDir } from './testing/temp-dir';
import { ed25519KeyPair } from './testing/ssh-keys';

/**
 * Connection tests against a server that accepts the connection and then says nothing: each
 * channel answers within its deadline (2 s here, 30 s by default) and names what did not
 * answer. The drivers' own timeouts (15-20 s) are longer than this deadline, so a pass proves
 * the deadline, not a driver's timeout, ended the wait.
 */
describe('connection tests end within their deadline when the server says nothing', () => {
  const t = tempDir('vaultdesk-deadlines-');
  let silent: SilentServer;
  let core: Core;
  let handlers: Handlers;
  const invoke = (channel: string, input: unknown): ReturnType<typeof dispatch> => dispatch(handlers, silentLogger, channel, input);
  const DEADLINE_MS = 2000;
  /** Generous: a hang would run into the test timeout; this only says "about the deadline, not the driver's 15-20 s". */
  const PROMPT_MS = 12_000;

  beforeAll(async () => {
    silent = await startSilentServer();
    core = await tempCore(t.dir);
    handlers = createHandlers(core, { checkDeadlineMs: DEADLINE_MS });
  });
  afterAll(async () => {
    core?.close();
    await silent?.stop();
    t.cleanup();
  });

  it('destinations:test on SFTP and S3 returns success: false naming the server', async () => {
    const endpoint = `http://127.0.0.1:${silent.port}`;
    const sftp = await core.call('destinations:create', { kind: 'sftp', name: 'silent-sftp', host: '127.0.0.1', port: silent.port, user: 'backup', path: '/srv/backups', privateKey: ed25519KeyPair().private });
    const s3 = await core.call('destinations:create', { kind: 's3', name: 'silent-s3', provider: 'minio', endpoint, bucket: 'backups', pathStyle: true, accessKeyId: 'AK', secretAccessKey: 'SK' });
    const cases = [
      [sftp.id, `The test of destination "silent-sftp" did not finish within 2 s: the SFTP server backup@127.0.0.1:${silent.port} did not answer. Check the host and port, the firewall, and that the server and its SFTP subsystem are running.`],
      [s3.id, `The test of destination "silent-s3" did not finish within 2 s: the S3 endpoint ${endpoint} did not answer. Check the endpoint URL, the network, the proxy and the firewall.`],
    ] as const;
    for (const [id, message] of cases) {
      const before = silent.accepted();
      const started = Date.now();
      expect(await invoke('destinations:test', { id })).toEqual({ ok: true, data: { success: false, message } });
      expect(Date.now() - started).toBeLessThan(PROMPT_MS);
      expect(silent.accepted()).toBeGreaterThan(before);
    }
  });

  it('sources:test and sources:databases fail with TIMEOUT naming the database server', async () => {
    const pg = await core.call('sources:create', { engine: 'postgres', name: 'silent-pg', host: '127.0.0.1', port: silent.port, user: 'postgres', database: 'shop', password: 'pw' });
    const my = await core.call('sources:create', { engine: 'mysql', name: 'silent-my', host: '127.0.0.1', port: silent.port, user: 'root', database: 'crm', password: 'pw' });
    const check = async (channel: 'sources:test' | 'sources:databases', id: string, message: string): Promise<void> => {
      const started = Date.now();
      expect(await invoke(channel, { id })).toEqual({ ok: false, error: { code: 'TIMEOUT', message, details: { source: message.match(/source "([^"]+)"/)![1] } } });
      expect(Date.now() - started).toBeLessThan(PROMPT_MS);
    };
    await check('sources:test', pg.id, `The test of source "silent-pg" did not finish within 2 s: the PostgreSQL server 127.0.0.1:${silent.port} did not answer. Check the host and port, the firewall, and that the server is up and not overloaded.`);
    await check('sources:databases', pg.id, `Listing the databases of source "silent-pg" did not finish within 2 s: the PostgreSQL server 127.0.0.1:${silent.port} did not answer. Check the host and port, the firewall, and that the server is up and not overloaded.`);
    await check('sources:test', my.id, `The test of source "silent-my" did not finish within 2 s: the MySQL/MariaDB server 127.0.0.1:${silent.port} did not answer. Check the host and port, the firewall, and that the server is up and not overloaded.`);
  });

  it('a local destination on /proc answers at once through the channel, in words', async () => {
    const proc = await core.call('destinations:create', { kind: 'local', name: 'procdest', path: '/proc' });
    const result = await invoke('destinations:test', { id: proc.id });
    expect(result).toEqual({ ok: true, data: { success: false, message: 'Folder /proc cannot be used: it exists but does not accept new files (a system folder such as /proc or /sys, or a mount point that is not a normal disk).' } });
  });
});
