import { createHash } from 'node:crypto';
import type { Client, ConnectConfig } from 'ssh2';
import { AppError, type ErrorCode } from '../../../shared/ipc/result';

/** Who is connecting decides the error codes and where the DBA is told to re-pin a host key. */
export type SshRole = 'destination' | 'source';

export interface SshConnectOptions {
  host: string;
  port: number;
  user: string;
  password?: string | undefined;
  privateKey?: string | undefined;
  passphrase?: string | undefined;
  /** `SHA256:...` as OpenSSH prints it; null on first use, when the presented key gets pinned. */
  pinnedFingerprint: string | null;
  onPinned?: (fingerprint: string) => void;
  signal?: AbortSignal | undefined;
  role?: SshRole;
  /** Handshake + authentication deadline. */
  readyTimeoutMs?: number;
  /** Keepalives detect a dead server during long transfers instead of hanging forever. */
  keepaliveIntervalMs?: number;
}

const CODES: Record<SshRole, { unreachable: ErrorCode; auth: ErrorCode }> = {
  destination: { unreachable: 'DESTINATION_UNREACHABLE', auth: 'DESTINATION_AUTH_FAILED' },
  source: { unreachable: 'SOURCE_UNREACHABLE', auth: 'SOURCE_AUTH_FAILED' },
};

/** The host key fingerprint exactly as `ssh-keygen -l` and `ssh` print it. */
export function sshFingerprint(hostKey: Buffer): string {
  return `SHA256:${createHash('sha256').update(hostKey).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Opens an authenticated SSH connection with trust on first use: an unpinned server's key is
 * accepted and reported through `onPinned` once login succeeded; a pinned server that presents
 * a different key is refused with HOST_KEY_CHANGED before any credential is sent.
 */
export async function connectSsh(options: SshConnectOptions): Promise<Client> {
  // Loaded on first use: most backups never open an SSH connection, and ssh2 is a large module.
  const { default: ssh2 } = await import('ssh2');
  const role = options.role ?? 'destination';
  const codes = CODES[role];
  const target = `${options.user}@${options.host}:${options.port}`;
  const details = { host: options.host, port: options.port, user: options.user };

  if (!options.password && !options.privateKey) {
    return Promise.reject(new AppError(codes.auth, `No password or private key is set for ${target}: add one in the ${role} settings.`, details));
  }
  if (options.privateKey) {
    const parsed = ssh2.utils.parseKey(options.privateKey, options.passphrase);
    if (parsed instanceof Error) return Promise.reject(new AppError(codes.auth, privateKeyProblem(parsed, Boolean(options.passphrase), role), details));
  }
  if (options.signal?.aborted) return Promise.reject(new AppError('CANCELLED', `Connecting to ${target} was cancelled.`, details));

  return new Promise<Client>((resolve, reject) => {
    const client = new ssh2.Client();
    let presented: string | null = null;
    let refusedKey = false;
    let settled = false;

    const finish = (error: AppError | null): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      if (error) {
        client.removeAllListeners('ready');
        client.on('error', () => undefined);
        client.end();
        reject(error);
        return;
      }
      if (options.pinnedFingerprint === null && presented !== null) options.onPinned?.(presented);
      resolve(client);
    };
    const onAbort = (): void => finish(new AppError('CANCELLED', `Connecting to ${target} was cancelled.`, details));
    options.signal?.addEventListener('abort', onAbort, { once: true });

    client.once('ready', () => {
      // Small requests and their answers (an SFTP read, a tunnel's query) go at once, not after
      // Nagle's wait for the peer's delayed ACK: with it, reading a backup over SFTP crawled at
      // one 64 KiB read per 40 ms.
      client.setNoDelay(true);
      finish(null);
    });
    client.on('error', (error: Error & { level?: string; code?: string }) => {
      if (refusedKey) {
        finish(
          new AppError(
            'HOST_KEY_CHANGED',
            `The SSH host key of ${options.host}:${options.port} has changed: Vaultdesk pinned ${options.pinnedFingerprint}, the server now presents ${presented}. ` +
              `This happens when the server was reinstalled or its keys were regenerated, but it can also mean someone is intercepting the connection. ` +
              `Check the new fingerprint with the server's administrator; if the change is expected, clear the pinned host key in the ${role} settings (or with vaultdesk ${role} forget-host-key NAME) and connect again to pin the new one.`,
            { ...details, pinned: options.pinnedFingerprint, presented },
          ),
        );
        return;
      }
      finish(mapSshError(error, target, role, details));
    });
    client.on('close', () => finish(new AppError(codes.unreachable, `The SSH server ${options.host}:${options.port} closed the connection before login completed.`, details)));

    const config: ConnectConfig = {
      host: options.host,
      port: options.port,
      username: options.user,
      readyTimeout: options.readyTimeoutMs ?? 20_000,
      keepaliveInterval: options.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: 4,
      hostVerifier: (key: Buffer): boolean => {
        presented = sshFingerprint(key);
        if (options.pinnedFingerprint === null || options.pinnedFingerprint === presented) return true;
        refusedKey = true;
        return false;
      },
    };
    if (options.password) config.password = options.password;
    if (options.privateKey) {
      config.privateKey = options.privateKey;
      if (options.passphrase) config.passphrase = options.passphrase;
    }
    try {
      client.connect(config);
    } catch (error) {
      finish(mapSshError(error as Error, target, role, details));
    }
  });
}

function mapSshError(error: Error & { level?: string; code?: string }, target: string, role: SshRole, details: Record<string, unknown>): AppError {
  const codes = CODES[role];
  const where = `${details.host}:${details.port}`;
  if (error.level === 'client-authentication') {
    return new AppError(codes.auth, `The SSH server ${where} refused the login for user ${details.user}: check the user name and the password or private key in the ${role} settings (and that the key is in the server's authorized_keys).`, details);
  }
  if (error.level === 'client-timeout') {
    return new AppError(codes.unreachable, `The SSH server ${where} did not complete the handshake in time: check the host and port, and that a firewall does not drop the connection.`, details);
  }
  switch (error.code) {
    case 'ECONNREFUSED':
      return new AppError(codes.unreachable, `Nothing accepts SSH connections on ${where} (connection refused): check the host and port, and that the SSH server runs.`, details);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new AppError(codes.unreachable, `The host name ${details.host} could not be resolved: check the spelling and the DNS.`, details);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new AppError(codes.unreachable, `The SSH server ${where} cannot be reached (${error.code}): check the network, VPN and firewall.`, details);
    case 'ECONNRESET':
      return new AppError(codes.unreachable, `The SSH server ${where} reset the connection (often a firewall, fail2ban, or MaxStartups on the server).`, details);
  }
  return new AppError(codes.unreachable, `SSH connection to ${target} failed: ${error.message}`, details);
}

function privateKeyProblem(error: Error, hadPassphrase: boolean, role: SshRole): string {
  if (/passphrase|decrypt|bad decrypt|integrity/i.test(error.message)) {
    return hadPassphrase
      ? `The private key could not be decrypted: the passphrase in the ${role} settings is wrong.`
      : `The private key is encrypted: add its passphrase in the ${role} settings.`;
  }
  // ssh2's parse errors name the format problem, never the key material.
  return `The private key in the ${role} settings could not be read (${error.message}). Paste the whole key, including its BEGIN and END lines (OpenSSH, PEM or PuTTY format).`;
}
