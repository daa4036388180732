import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../../shared/ipc/result';
import { shouldSkip } from '../testing/services';
import { freePort } from '../testing/free-port';
import { sshdUnavailable, startSshd, type SshdServer } from '../testing/sshd-server';
import { connectSsh, type SshConnectOptions } from './ssh-connection';
import { ed25519KeyPair } from '../testing/ssh-keys';

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    const client = await promise;
    (client as { end?: () => void }).end?.();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected the connection to fail');
}

/** Runs `echo` on the server: proves the login really works, not just the handshake. */
async function execEcho(options: SshConnectOptions): Promise<string> {
  const client = await connectSsh(options);
  try {
    return await new Promise<string>((resolve, reject) => {
      client.exec('echo vaultdesk-ok', (error, stream) => {
        if (error) return reject(error);
        let out = '';
        stream.on('data', (d: Buffer) => (out += d.toString())).on('close', () => resolve(out.trim()));
      });
    });
  } finally {
    client.end();
  }
}

describe.skipIf(shouldSkip('OpenSSH sshd', sshdUnavailable()))('connectSsh against a real sshd', () => {
  let server: SshdServer;
  const base = (): Omit<SshConnectOptions, 'pinnedFingerprint'> => ({ host: server.host, port: server.port, user: server.user });

  beforeAll(async () => {
    server = await startSshd();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('pins the host key on first use with the fingerprint ssh-keygen shows, then accepts it', async () => {
    const pinned: string[] = [];
    expect(await execEcho({ ...base(), privateKey: server.privateKey, pinnedFingerprint: null, onPinned: (fp) => pinned.push(fp) })).toBe('vaultdesk-ok');
    expect(pinned).toEqual([server.hostKeyFingerprint]);
    expect(pinned[0]).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);

    const again: string[] = [];
    expect(await execEcho({ ...base(), privateKey: server.privateKey, pinnedFingerprint: server.hostKeyFingerprint, onPinned: (fp) => again.push(fp) })).toBe('vaultdesk-ok');
    expect(again).toEqual([]);
  });

  it('logs in with an encrypted key and its passphrase; a wrong or missing passphrase is an auth error', async () => {
    const { privateKey, passphrase } = server.encryptedKey;
    expect(await execEcho({ ...base(), privateKey, passphrase, pinnedFingerprint: server.hostKeyFingerprint })).toBe('vaultdesk-ok');

    const wrong = await rejection(connectSsh({ ...base(), privateKey, passphrase: 'not-the-passphrase', pinnedFingerprint: server.hostKeyFingerprint }));
    expect(wrong.code).toBe('DESTINATION_AUTH_FAILED');
    expect(wrong.message).toContain('passphrase');
    expect(wrong.message).not.toContain('not-the-passphrase');

    const missing = await rejection(connectSsh({ ...base(), privateKey, pinnedFingerprint: server.hostKeyFingerprint, role: 'source' }));
    expect(missing.code).toBe('SOURCE_AUTH_FAILED');
    expect(missing.message).toContain('add its passphrase in the source settings');
  });

  it('logs in with a password, and reports a wrong one without echoing it', async (ctx) => {
    if (server.password === null) {
      if (shouldSkip('SSH password login', server.passwordUnavailable)) return ctx.skip();
    }
    expect(await execEcho({ ...base(), password: server.password!, pinnedFingerprint: server.hostKeyFingerprint })).toBe('vaultdesk-ok');
    const error = await rejection(connectSsh({ ...base(), password: 'wrong-password-123', pinnedFingerprint: server.hostKeyFingerprint }));
    expect(error.code).toBe('DESTINATION_AUTH_FAILED');
    expect(error.message).toContain(`refused the login for user ${server.user}`);
    expect(JSON.stringify([error.message, error.details])).not.toContain('wrong-password-123');
  });

  it('a key the server does not know is an auth error with the role-specific code', async () => {
    const stranger = ed25519KeyPair().private;
    expect((await rejection(connectSsh({ ...base(), privateKey: stranger, pinnedFingerprint: server.hostKeyFingerprint }))).code).toBe('DESTINATION_AUTH_FAILED');
    expect((await rejection(connectSsh({ ...base(), privateKey: stranger, pinnedFingerprint: server.hostKeyFingerprint, role: 'source' }))).code).toBe('SOURCE_AUTH_FAILED');
    expect((await rejection(connectSsh({ ...base(), privateKey: 'not a key', pinnedFingerprint: null }))).message).toContain('could not be read');
  });

  it('nothing listening is *_UNREACHABLE, and a cancel is CANCELLED', async () => {
    const port = await freePort();
    const refused = await rejection(connectSsh({ host: '127.0.0.1', port, user: 'x', password: 'y', pinnedFingerprint: null, role: 'source' }));
    expect(refused.code).toBe('SOURCE_UNREACHABLE');
    expect(refused.message).toContain(`127.0.0.1:${port}`);

    const controller = new AbortController();
    controller.abort();
    expect((await rejection(connectSsh({ ...base(), privateKey: server.privateKey, pinnedFingerprint: null, signal: controller.signal }))).code).toBe('CANCELLED');
  });

  it('a changed host key is refused with HOST_KEY_CHANGED naming both fingerprints and how to re-pin', async () => {
    const old = server.hostKeyFingerprint;
    await server.restartWithNewHostKey();
    expect(server.hostKeyFingerprint).not.toBe(old);
    const pinned: string[] = [];
    const error = await rejection(connectSsh({ ...base(), privateKey: server.privateKey, pinnedFingerprint: old, onPinned: (fp) => pinned.push(fp) }));
    expect(error.code).toBe('HOST_KEY_CHANGED');
    expect(error.message).toContain(old);
    expect(error.message).toContain(server.hostKeyFingerprint);
    expect(error.message).toContain('clear the pinned host key in the destination settings');
    expect(pinned).toEqual([]);
    const source = await rejection(connectSsh({ ...base(), privateKey: server.privateKey, pinnedFingerprint: old, role: 'source' }));
    expect(source.message).toContain('in the source settings');
  });
});
