import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DestinationDto, S3DestinationConfig, SftpDestinationConfig } from '../../../shared/domain/dto';
import type { AppError } from '../../../shared/ipc/result';
import { shouldSkip } from '../testing/services';
import { startSilentServer, type SilentServer } from '../testing/silent-server';
import { sshdUnavailable, startSshd, type SshdServer } from '../testing/sshd-server';
import { tempDir } from '../testing/temp-dir';
import { createDestinationDriver, type DestinationDriver } from './destination';

/** Generous: a hang runs into the test timeout; this only says "ended by our deadline". */
const PROMPT_MS = 20_000;
const SFTP_SERVER = '/usr/lib/openssh/sftp-server';

const esc = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected the promise to fail');
}

async function promptly<T>(work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work();
  expect(Date.now() - started).toBeLessThan(PROMPT_MS);
  return result;
}

function sftpDto(server: SshdServer, root: string): DestinationDto {
  const now = new Date().toISOString();
  const config: SftpDestinationConfig = { host: server.host, port: server.port, user: server.user, path: root, hostKeyFingerprint: null };
  return { id: 'f1', name: 'sftp-silent', kind: 'sftp', config: { kind: 'sftp', ...config }, locked: false, isDefault: false, hasSecret: true, hasPassphrase: false, hasPassword: false, hasPrivateKey: true, jobNames: [], lastTest: null, createdAt: now, updatedAt: now };
}

/** A subsystem script for sshd; it ends by itself, so nothing outlives the test for long. */
function script(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe.skipIf(shouldSkip('OpenSSH sshd', sshdUnavailable()))('SFTP servers that log in and then stop answering', () => {
  const t = tempDir('vaultdesk-sftp-silence-');
  const servers: SshdServer[] = [];
  afterAll(async () => {
    await Promise.allSettled(servers.map((s) => s.stop()));
    t.cleanup();
  });
  const start = async (subsystem: string): Promise<SshdServer> => {
    const server = await startSshd({ sftpSubsystem: subsystem });
    servers.push(server);
    return server;
  };

  it('a subsystem that never starts: test() and put() fail in words within the request deadline', async () => {
    const server = await start(script(t.dir, 'never.sh', 'exec sleep 20'));
    const root = path.join(server.dir, 'data');
    const driver = createDestinationDriver(sftpDto(server, root), { privateKey: server.privateKey }, { requestTimeoutMs: 3000 });
    const where = `${server.user}@127.0.0.1:${server.port}`;
    const words = `${where} accepted the login but its SFTP subsystem did not answer within 3 s. Check the server's Subsystem sftp setting and that nothing (a forced command, a shell profile that waits for input) holds it up.`;
    expect(await promptly(() => driver.test())).toEqual({ success: false, message: words });
    const error = await promptly(() => rejection(driver.put('prod/a.dump', Readable.from([Buffer.from('x')]))));
    expect(error).toMatchObject({ code: 'DESTINATION_UNREACHABLE', message: words });
    await promptly(() => driver.close());
  });

  it.skipIf(shouldSkip(`OpenSSH ${SFTP_SERVER}`, existsSync(SFTP_SERVER) ? null : `${SFTP_SERVER} is missing`))(
    'an sftp-server that answers the handshake and then nothing: every operation ends with DESTINATION_UNREACHABLE',
    async () => {
      // Only the handshake reaches sftp-server (SSH_FXP_INIT, 9 bytes, and ssh2's
      // limits@openssh.com request, 31); every later request is swallowed and the pipe stays
      // open, so sftp-server waits: a server stuck on a hung disk, as seen from here. dd with
      // bs=1 passes each byte on at once (head would hold them in its output buffer).
      const server = await start(script(t.dir, 'stalls.sh', `{ dd bs=1 count=40 status=none; exec sleep 20; } | exec ${SFTP_SERVER}`));
      const root = path.join(server.dir, 'data', 'backups');
      const driver = createDestinationDriver(sftpDto(server, root), { privateKey: server.privateKey }, { requestTimeoutMs: 3000 });
      const where = `${server.user}@127.0.0.1:${server.port}`;
      // The server may stall before the SFTP handshake is through (seen with Debian 12's
      // openssh 9.2p1-2+deb12u10 here: the session that reconnects gets no VERSION back) or just
      // after it: either way the call ends, in words, within the deadline.
      const silent = new RegExp(
        `^(The SFTP server ${esc(where)} did not answer \\((stat|list|remove|mkdir)[^)]*\\) within 3 s|${esc(where)} accepted the login but its SFTP subsystem did not answer within 3 s)`,
      );
      const result = await promptly(() => driver.test());
      expect(result.success).toBe(false);
      expect(result.message).toMatch(silent);
      // Each call reconnects (the silent session was dropped) and meets the same silence.
      const calls: [string, () => Promise<unknown>][] = [
        ['put', () => driver.put('prod/a.dump', Readable.from([Buffer.alloc(256 * 1024, 1)]))],
        ['list', () => driver.list('')],
        ['stat', () => driver.stat('prod/a.dump')],
        ['get', () => driver.get('prod/a.dump')],
        ['delete', () => driver.delete('prod/a.dump')],
      ];
      for (const [name, call] of calls) {
        const error = await promptly(() => rejection(call()));
        expect(error.code, name).toBe('DESTINATION_UNREACHABLE');
        expect(error.message, name).toMatch(silent);
      }
      await promptly(() => driver.close());
    },
  );

  it.skipIf(shouldSkip(`OpenSSH ${SFTP_SERVER}`, existsSync(SFTP_SERVER) ? null : `${SFTP_SERVER} is missing`))(
    'an sftp-server that opens the file and then acknowledges no write: put() ends with DESTINATION_UNREACHABLE',
    async () => {
      const root = path.join(t.dir, 'sftp-root');
      mkdirSync(path.join(root, 'prod'), { recursive: true });
      const partial = path.join(root, 'prod', 'w.dump.partial');
      // Handshake (40 bytes), stat of the existing folder, the look for a .partial of another run and
      // the open of this one's, with its 0600 mode among the attributes (ssh2's packet sizes), then nothing:
      // the writes go unacknowledged.
      const passed = 40 + (13 + Buffer.byteLength(path.join(root, 'prod'))) + (13 + Buffer.byteLength(partial)) + (25 + Buffer.byteLength(partial));
      const server = await start(script(t.dir, 'no-acks.sh', `{ dd bs=1 count=${passed} status=none; exec sleep 20; } | exec ${SFTP_SERVER}`));
      const driver = createDestinationDriver(sftpDto(server, root), { privateKey: server.privateKey }, { requestTimeoutMs: 3000 });
      const where = `${server.user}@127.0.0.1:${server.port}`;
      const error = await promptly(() => rejection(driver.put('prod/w.dump', Readable.from([Buffer.alloc(256 * 1024, 1)]))));
      expect(error).toMatchObject({
        code: 'DESTINATION_UNREACHABLE',
        message: `The SFTP server ${where} did not answer (write to ${partial}) within 3 s while working on prod/w.dump in ${root} on ${where}; the connection was dropped. The server's disk or a share it writes to may have stopped responding.`,
      });
      // The open went through: the server made the file, and only it could remove it now.
      expect(existsSync(partial)).toBe(true);
      expect(existsSync(path.join(root, 'prod', 'w.dump'))).toBe(false);
      await promptly(() => driver.close());
    },
  );

  it.skipIf(shouldSkip(`OpenSSH ${SFTP_SERVER}`, existsSync(SFTP_SERVER) ? null : `${SFTP_SERVER} is missing`))(
    'an sftp-server that opens the backup and then answers no read: the reader gets DESTINATION_UNREACHABLE within the deadline',
    async () => {
      const root = path.join(t.dir, 'sftp-reads');
      mkdirSync(path.join(root, 'prod'), { recursive: true });
      const file = path.join(root, 'prod', 'r.dump');
      writeFileSync(file, Buffer.alloc(3 * 1024 * 1024, 7));
      // Handshake (40 bytes), the stat and the open of the file (ssh2's packet sizes), then nothing.
      const passed = 40 + (13 + Buffer.byteLength(file)) + (21 + Buffer.byteLength(file));
      const server = await start(script(t.dir, 'no-reads.sh', `{ dd bs=1 count=${passed} status=none; exec sleep 20; } | exec ${SFTP_SERVER}`));
      const driver = createDestinationDriver(sftpDto(server, root), { privateKey: server.privateKey }, { requestTimeoutMs: 3000 });
      const where = `${server.user}@127.0.0.1:${server.port}`;
      const stream = await promptly(() => driver.get('prod/r.dump'));
      const error = await promptly(() => rejection(buffer(stream)));
      expect(error).toMatchObject({
        code: 'DESTINATION_UNREACHABLE',
        message: `The SFTP server ${where} did not answer (read ${file}) within 3 s while working on prod/r.dump in ${root} on ${where}; the connection was dropped. The server's disk or a share it writes to may have stopped responding.`,
      });
      await promptly(() => driver.close());
    },
  );
});

describe('an S3 endpoint that accepts connections and never answers', () => {
  let silent: SilentServer;
  let driver: DestinationDriver;
  beforeAll(async () => {
    silent = await startSilentServer();
    const endpoint = `http://127.0.0.1:${silent.port}`;
    const now = new Date().toISOString();
    const config: S3DestinationConfig = { provider: 'minio', bucket: 'backups', region: 'us-east-1', endpoint, publicEndpoint: null, pathStyle: true, accessKeyId: 'AK', prefix: '', partSizeMiB: 5, buckets: [], account: null };
    const dto: DestinationDto = { id: 's1', name: 's3-silent', kind: 's3', config: { kind: 's3', ...config }, locked: false, isDefault: false, hasSecret: true, hasPassphrase: false, hasPassword: false, hasPrivateKey: false, jobNames: [], lastTest: null, createdAt: now, updatedAt: now };
    driver = createDestinationDriver(dto, { secretAccessKey: 'SK' }, { requestTimeoutMs: 500 });
  });
  afterAll(async () => {
    await driver?.close();
    await silent?.stop();
  });

  it('list, stat, delete and put fail with DESTINATION_UNREACHABLE saying it stopped answering (after the SDK retries)', async () => {
    const endpoint = `http://127.0.0.1:${silent.port}`;
    const calls: [string, () => Promise<unknown>][] = [
      ['list', () => driver.list('')],
      ['stat', () => driver.stat('prod/a.dump')],
      ['delete', () => driver.delete('prod/a.dump')],
      ['put', () => driver.put('prod/a.dump', Readable.from([Buffer.alloc(1024, 1)]))],
    ];
    for (const [name, call] of calls) {
      const error = await promptly(() => rejection(call()));
      expect(error.code, name).toBe('DESTINATION_UNREACHABLE');
      expect(error.message, name).toContain(`The S3 endpoint ${endpoint} accepted the connection but stopped answering`);
    }
    expect(silent.accepted()).toBeGreaterThanOrEqual(4);
  });
});
