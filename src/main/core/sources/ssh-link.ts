import type { Client } from 'ssh2';
import type { SshDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { connectSsh } from '../ssh/ssh-connection';
import type { SourceContext } from './source-driver';

const CLOSE_WAIT_MS = 3_000;

/**
 * The one SSH connection of an SSH source, opened on first use and shared by every command and
 * tunnelled connection. A dropped connection is reopened by the next caller, against the key
 * pinned at first use: a later connection of the same driver can never pin a different key.
 */
export class SshLink {
  readonly label: string;
  #pinned: string | null;
  #client: Promise<Client> | null = null;
  #closed = false;

  constructor(
    private readonly ssh: SshDto,
    private readonly secrets: Record<string, string>,
    private readonly ctx: SourceContext,
  ) {
    this.label = `${ssh.user}@${ssh.host}:${ssh.port}`;
    this.#pinned = ssh.hostKeyFingerprint;
  }

  /** The shared connection; `signal` abandons this caller's wait, not the connection others may share. */
  connect(signal?: AbortSignal): Promise<Client> {
    if (this.#closed) return Promise.reject(new AppError('INTERNAL', `This source's SSH connection to ${this.label} was already closed.`));
    const cancelled = (): AppError => new AppError('CANCELLED', `Connecting to ${this.label} was cancelled.`);
    if (signal?.aborted) return Promise.reject(cancelled());
    const shared = (this.#client ??= this.#open().catch((error: unknown) => {
      this.#client = null;
      throw error;
    }));
    if (!signal) return shared;
    return new Promise<Client>((resolve, reject) => {
      const onAbort = (): void => reject(cancelled());
      signal.addEventListener('abort', onAbort, { once: true });
      shared.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const pending = this.#client;
    this.#client = null;
    const client = await pending?.catch(() => null);
    if (!client) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, CLOSE_WAIT_MS);
      client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      client.end();
    });
  }

  async #open(): Promise<Client> {
    const client = await connectSsh({
      host: this.ssh.host,
      port: this.ssh.port,
      user: this.ssh.user,
      password: this.secrets.sshPassword || undefined,
      privateKey: this.secrets.sshPrivateKey || undefined,
      passphrase: this.secrets.sshPassphrase || undefined,
      pinnedFingerprint: this.#pinned,
      onPinned: (fingerprint) => {
        this.#pinned = fingerprint;
        this.ctx.onHostKeyPinned?.(fingerprint);
      },
      role: 'source',
    });
    this.ctx.log?.info('ssh connected', { ssh: this.label });
    const opened = this.#client;
    client.on('error', (error: Error) => this.ctx.log?.warn('ssh connection error', { ssh: this.label, error: error.message }));
    client.on('close', () => {
      if (this.#client === opened) this.#client = null;
    });
    return client;
  }
}
