import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DestinationDto, SftpDestinationConfig } from '../../../shared/domain/dto';
import type { AppError } from '../../../shared/ipc/result';
import { shouldSkip } from '../testing/services';
import { sshdUnavailable, startSshd, type SshdServer } from '../testing/sshd-server';
import { createDestinationDriver, type DestinationDriver, type DriverContext } from './destination';
import { ed25519KeyPair } from '../testing/ssh-keys';

const MiB = 1024 * 1024;

function sftpDto(server: SshdServer, overrides: Partial<SftpDestinationConfig> = {}): DestinationDto {
  const now = new Date().toISOString();
  const config: SftpDestinationConfig = { host: server.host, port: server.port, user: server.user, path: path.join(server.dir, 'data', 'backups'), hostKeyFingerprint: null, ...overrides };
  return { id: 'f1', name: 'sftp-test', kind: 'sftp', config: { kind: 'sftp', ...config }, locked: false, isDefault: false, hasSecret: true, hasPassphrase: false, hasPassword: false, hasPrivateKey: true, jobNames: [], lastTest: null, createdAt: now, updatedAt: now };
}

/** Files under `dir` on the server's disk (the test runs on the same machine as sshd). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

function lazySource(total: number, failAfter: number | null = null): { stream: Readable; produced: () => number; data: () => Buffer } {
  let produced = 0;
  const chunks: Buffer[] = [];
  const stream = new Readable({
    read() {
      if (failAfter !== null && produced >= failAfter) return void this.destroy(new Error('age: encryption failed'));
      if (produced >= total) return void this.push(null);
      const chunk = randomBytes(Math.min(256 * 1024, total - produced));
      produced += chunk.length;
      chunks.push(chunk);
      this.push(chunk);
    },
  });
  return { stream, produced: () => produced, data: () => Buffer.concat(chunks) };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected the promise to fail');
}

describe.skipIf(shouldSkip('OpenSSH sshd', sshdUnavailable()))('SFTP destination against a real sshd', () => {
  let server: SshdServer;
  let driver: DestinationDriver;
  let pins: string[];
  let root: string;

  beforeAll(async () => {
    server = await startSshd();
    root = path.join(server.dir, 'data', 'backups');
    pins = [];
    const ctx: DriverContext = { onHostKeyPinned: (fp) => pins.push(fp) };
    driver = createDestinationDriver(sftpDto(server), { privateKey: server.privateKey }, ctx);
  });
  afterAll(async () => {
    await driver?.close();
    await server?.stop();
  });

  it('uploads, lists, reads back and deletes over SFTP, pinning the host key on first use', async () => {
    const source = lazySource(5 * MiB + 77);
    const progress: number[] = [];
    const key = 'prod/nightly/shop/20261126T053000Z.dump.zst.age';
    const result = await driver.put(key, source.stream, { onProgress: (n) => progress.push(n) });
    expect(result.size).toBe(5 * MiB + 77);
    expect(progress.at(-1)).toBe(5 * MiB + 77);
    expect(pins).toEqual([server.hostKeyFingerprint]);
    expect(readFileSync(path.join(root, 'prod', 'nightly', 'shop', '20261126T053000Z.dump.zst.age')).equals(source.data())).toBe(true);
    expect((await buffer(await driver.get(key))).equals(source.data())).toBe(true);
    // Its owner's only, as on a local folder, whatever the server's umask.
    expect(statSync(path.join(root, 'prod', 'nightly', 'shop', '20261126T053000Z.dump.zst.age')).mode & 0o777).toBe(0o600);
    for (const folder of ['prod', 'prod/nightly', 'prod/nightly/shop']) expect(statSync(path.join(root, folder)).mode & 0o777).toBe(0o700);

    await driver.put('prod/other/1.dump', Readable.from([Buffer.from('one')]));
    await driver.put('staging/2.dump', Readable.from([Buffer.from('two!')]));
    expect((await driver.list('')).map((o) => o.key)).toEqual(['prod/nightly/shop/20261126T053000Z.dump.zst.age', 'prod/other/1.dump', 'staging/2.dump']);
    expect((await driver.list('prod/o')).map((o) => [o.key, o.size])).toEqual([['prod/other/1.dump', 3]]);
    expect(await driver.list('none/')).toEqual([]);

    const st = await driver.stat('staging/2.dump');
    expect(st?.size).toBe(4);
    expect(Math.abs((st?.modifiedAt.getTime() ?? 0) - Date.now())).toBeLessThan(120_000);
    expect(await driver.stat('staging/none.dump')).toBeNull();

    await driver.delete('staging/2.dump');
    await driver.delete('staging/2.dump');
    expect(await driver.stat('staging/2.dump')).toBeNull();
    expect((await rejection(driver.get('staging/2.dump'))).code).toBe('OBJECT_NOT_FOUND');
    expect(pins).toHaveLength(1);
    expect(filesUnder(root).some((f) => f.endsWith('.partial'))).toBe(false);
  });

  it('reads a large backup back whole, with many reads in flight; one that is cut short while it is read fails instead of ending', async () => {
    const source = lazySource(37 * MiB + 12345);
    await driver.put('big/whole.dump', source.stream);
    expect((await buffer(await driver.get('big/whole.dump'))).equals(source.data())).toBe(true);

    const reading = await driver.get('big/whole.dump');
    // Cut on the server's disk before the reader asks for the rest (reads go ahead of it by 4 MiB at most).
    truncateSync(path.join(root, 'big', 'whole.dump'), 10 * MiB);
    const error = await rejection(buffer(reading));
    expect(error.code).toBe('DESTINATION_UNREACHABLE');
    expect(error.message).toMatch(new RegExp(`^SFTP read failed on big/whole\\.dump in .*: ${path.join(root, 'big', 'whole.dump').replace(/[.]/g, '\\.')} ended after ${10 * MiB} of its ${37 * MiB + 12345} bytes$`));
  });

  it('an abort mid-upload leaves no .partial and no object, and reports CANCELLED', async () => {
    const controller = new AbortController();
    const source = lazySource(64 * MiB);
    const error = await rejection(
      driver.put('prod/cancel.dump', source.stream, {
        signal: controller.signal,
        onProgress: (n) => {
          if (n >= 2 * MiB) controller.abort();
        },
      }),
    );
    expect(error.code).toBe('CANCELLED');
    expect(source.produced()).toBeLessThan(64 * MiB);
    expect(filesUnder(root).filter((f) => f.includes('cancel'))).toEqual([]);
    expect(await driver.stat('prod/cancel.dump')).toBeNull();
  });

  it('a failing input stream leaves nothing and its own error comes back', async () => {
    const error = await rejection(driver.put('prod/input.dump', lazySource(8 * MiB, 3 * MiB).stream));
    expect(error.message).toBe('age: encryption failed');
    expect(filesUnder(root).filter((f) => f.includes('input'))).toEqual([]);
  });

  it('refuses keys that would escape the folder', async () => {
    for (const key of ['../escape', 'a/../../escape', '/etc/passwd', 'a\\b', 'a//b', '']) {
      expect((await rejection(driver.put(key, Readable.from([Buffer.from('x')])))).code, key).toBe('VALIDATION_FAILED');
      expect((await rejection(driver.delete(key))).code, key).toBe('VALIDATION_FAILED');
    }
    expect(existsSync(path.join(server.dir, 'data', 'escape'))).toBe(false);
  });

  it('test() proves the folder is writable and leaves no probe; a missing folder is reported', async () => {
    const ok = await driver.test();
    expect(ok.success).toBe(true);
    expect(ok.message).toContain(`host key ${server.hostKeyFingerprint} matches the pinned one`);
    expect(filesUnder(root).some((f) => f.includes('probe'))).toBe(false);

    const missing = createDestinationDriver(sftpDto(server, { path: path.join(server.dir, 'data', 'no-such-folder'), hostKeyFingerprint: server.hostKeyFingerprint }), { privateKey: server.privateKey });
    const result = await missing.test();
    await missing.close();
    expect(result.success).toBe(false);
    expect(result.message).toContain('no-such-folder does not exist');
  });

  it('logs in with an encrypted key, and with a password', async () => {
    const pinned = { hostKeyFingerprint: server.hostKeyFingerprint };
    const withKey = createDestinationDriver(sftpDto(server, pinned), { privateKey: server.encryptedKey.privateKey, passphrase: server.encryptedKey.passphrase });
    expect((await withKey.put('keys/enc.dump', Readable.from([Buffer.from('enc')]))).size).toBe(3);
    await withKey.close();
    if (server.password === null && shouldSkip('SSH password login', server.passwordUnavailable)) return;
    const withPassword = createDestinationDriver(sftpDto(server, pinned), { password: server.password! });
    expect((await withPassword.stat('keys/enc.dump'))?.size).toBe(3);
    await withPassword.close();
  });

  it('a key the server does not accept is DESTINATION_AUTH_FAILED', async () => {
    const stranger = ed25519KeyPair().private;
    const denied = createDestinationDriver(sftpDto(server, { hostKeyFingerprint: server.hostKeyFingerprint }), { privateKey: stranger });
    const error = await rejection(denied.put('prod/denied.dump', Readable.from([Buffer.from('x')])));
    expect(error.code).toBe('DESTINATION_AUTH_FAILED');
    expect((await denied.test()).success).toBe(false);
    await denied.close();
  });

  it('after the server changes its host key, uploads are refused with HOST_KEY_CHANGED', async () => {
    const pinnedBefore = server.hostKeyFingerprint;
    await driver.close();
    await server.restartWithNewHostKey();
    const error = await rejection(driver.put('prod/after-rekey.dump', Readable.from([Buffer.from('x')])));
    expect(error.code).toBe('HOST_KEY_CHANGED');
    expect(error.message).toContain(pinnedBefore);
    expect(error.message).toContain(server.hostKeyFingerprint);
    const result = await driver.test();
    expect(result.success).toBe(false);
    expect(result.message).toContain('clear the pinned host key');
    expect(existsSync(path.join(root, 'prod', 'after-rekey.dump'))).toBe(false);
    expect(pins).toEqual([pinnedBefore]);
  });
});
