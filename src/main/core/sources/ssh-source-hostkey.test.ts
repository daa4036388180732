import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshDto } from '../../../shared/domain/dto';
import type { AppError } from '../../../shared/ipc/result';
import { probeMysql, probePostgres, testSourceDto } from '../testing/db-fixtures';
import { shouldSkip } from '../testing/services';
import { sshdUnavailable, startSshd, type SshdServer } from '../testing/sshd-server';
import { tempDir } from '../testing/temp-dir';
import { createSourceDriver, type SourceDriver } from './source-driver';
import { processesWith, testContext } from './source-test-helpers';
import { ed25519KeyPair } from '../testing/ssh-keys';

/** Ends the server's per-connection processes: what a reboot of the SSH host does to its clients. */
function dropConnections(server: SshdServer): void {
  const listener = processesWith(path.join(server.dir, 'sshd_config'))[0];
  if (!listener) throw new Error(`no sshd listener found for ${server.dir}`);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of stat is the parent pid; the command name before it may hold spaces.
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
      if (ppid === listener.pid) process.kill(Number(entry), 'SIGTERM');
    } catch {
      // Gone while we looked.
    }
  }
}

const pgReason = await probePostgres();
const mysqlReason = await probeMysql();

describe.skipIf(shouldSkip('PostgreSQL', pgReason) || shouldSkip('MariaDB/MySQL', mysqlReason) || shouldSkip('OpenSSH sshd', sshdUnavailable()))(
  'SSH source host keys and logins',
  () => {
    const t = tempDir();
    let server: SshdServer;
    const drivers: SourceDriver[] = [];

    const ssh = (mode: SshDto['mode'], hostKeyFingerprint: string | null): SshDto => ({
      mode,
      host: server.host,
      port: server.port,
      user: server.user,
      hostKeyFingerprint,
      hasPassword: false,
      hasPrivateKey: true,
      hasPassphrase: false,
    });
    const driver = (engine: 'postgres' | 'mysql', sshDto: SshDto, pins: string[] = [], privateKey = server.privateKey): SourceDriver => {
      const made = createSourceDriver(testSourceDto(engine, { ssh: sshDto }), { sshPrivateKey: privateKey }, testContext(t.dir, { onHostKeyPinned: (fp) => pins.push(fp) }));
      drivers.push(made);
      return made;
    };

    beforeAll(async () => {
      server = await startSshd();
    });
    afterAll(async () => {
      for (const d of drivers) await d.close();
      await server?.stop();
      t.cleanup();
    });

    it('pins the host key on first use in both modes, and refuses a changed key afterwards with HOST_KEY_CHANGED', async () => {
      const first = server.hostKeyFingerprint;
      const execPins: string[] = [];
      const tunnelPins: string[] = [];
      const exec = driver('postgres', ssh('exec', null), execPins);
      const tunnel = driver('mysql', ssh('tunnel', null), tunnelPins);
      expect((await exec.test()).success).toBe(true);
      expect((await tunnel.test()).success).toBe(true);
      expect(execPins).toEqual([first]);
      expect(tunnelPins).toEqual([first]);

      // sshd detaches each connection into its own session, so a restart alone would leave these open.
      dropConnections(server);
      await server.restartWithNewHostKey();
      expect(server.hostKeyFingerprint).not.toBe(first);

      // The same drivers reconnect against the key they pinned, not against whatever is presented now.
      for (const d of [exec, tunnel]) {
        const error = (await d.listDatabases().catch((e: unknown) => e)) as AppError;
        expect(error.code).toBe('HOST_KEY_CHANGED');
        expect(error.message).toContain(`Vaultdesk pinned ${first}, the server now presents ${server.hostKeyFingerprint}`);
        expect(error.message).toContain('clear the pinned host key in the source settings');
      }
      const stored = (await driver('postgres', ssh('tunnel', first)).test().catch((e: unknown) => e)) as AppError;
      expect(stored.code).toBe('HOST_KEY_CHANGED');
      expect(execPins).toEqual([first]);

      // Cleared by the DBA: the new key is pinned.
      const repinned: string[] = [];
      expect((await driver('postgres', ssh('exec', null), repinned).test()).success).toBe(true);
      expect(repinned).toEqual([server.hostKeyFingerprint]);
    });

    it('a private key the server does not accept: SOURCE_AUTH_FAILED in both modes', async () => {
      const stranger = ed25519KeyPair().private;
      for (const mode of ['exec', 'tunnel'] as const) {
        const error = (await driver('postgres', ssh(mode, server.hostKeyFingerprint), [], stranger)
          .test()
          .catch((e: unknown) => e)) as AppError;
        expect(error.code).toBe('SOURCE_AUTH_FAILED');
        expect(error.message).toContain(`refused the login for user ${server.user}`);
      }
    });
  },
);
