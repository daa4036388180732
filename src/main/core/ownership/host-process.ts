import type { Logger } from '../logger';
import type { ProcessesRepository, ProcessRecord } from '../store/processes-repository';
import { HEARTBEAT_MS, ownerAlive, systemProbe } from './owner-liveness';
import type { HostKind, ProcessIdentity } from './process-identity';

const KIND_WORDS: Record<HostKind, string> = {
  app: 'the Vaultdesk app',
  cli: 'a vaultdesk command',
  serve: 'vaultdesk serve',
  daemon: 'vaultdesk daemon',
  test: 'a test process',
};

/**
 * This process as the other processes sharing the data dir see it. It registers itself only
 * once it owns something (a run, the scheduler lease), so a read-only command writes nothing,
 * and then beats every few seconds until it closes.
 */
export class HostProcess {
  #registered = false;
  #timer: NodeJS.Timeout | null = null;
  #warnedBeat = false;
  readonly #onBeat = new Set<() => void>();

  constructor(
    readonly identity: ProcessIdentity,
    private readonly repo: ProcessesRepository,
    private readonly now: () => Date,
    private readonly log: Logger,
  ) {}

  ensureRegistered(): void {
    if (this.#registered) return;
    this.repo.register(this.identity, this.now().toISOString());
    this.#registered = true;
    this.#timer = setInterval(() => this.#beat(), HEARTBEAT_MS);
    this.#timer.unref();
  }

  /** Called at every heartbeat (e.g. to look for cancel requests from other processes). */
  onBeat(listener: () => void): () => void {
    this.#onBeat.add(listener);
    return () => this.#onBeat.delete(listener);
  }

  #beat(): void {
    try {
      this.repo.heartbeat(this.identity.startId, this.now().toISOString());
    } catch (error) {
      // A full disk must not stop a backup that is writing elsewhere; the pid check still holds.
      if (!this.#warnedBeat) this.log.warn('could not record this process as alive', { error: String(error) });
      this.#warnedBeat = true;
    }
    for (const listener of this.#onBeat) listener();
  }

  isSelf(startId: string | null): boolean {
    return startId === this.identity.startId;
  }

  isAlive(startId: string | null): boolean {
    if (startId === null) return false;
    if (this.isSelf(startId)) return true;
    return ownerAlive(this.repo.get(startId), systemProbe(this.identity.hostname, this.now()));
  }

  /** "vaultdesk serve (pid 4242)", for messages about who holds a run. */
  describe(startId: string | null): string {
    const record = startId ? this.repo.get(startId) : null;
    return record ? `${KIND_WORDS[record.kind]} (pid ${record.pid})` : 'a process that is no longer running';
  }

  /** This process, as its own messages name it: "vaultdesk run list (pid 4242)", alive whether or not it registered. */
  describeSelf(): string {
    return `${this.identity.label ?? KIND_WORDS[this.identity.kind]} (pid ${this.identity.pid})`;
  }

  /** Registered processes that are gone; their rows are removed. */
  pruneDead(): ProcessRecord[] {
    const probe = systemProbe(this.identity.hostname, this.now());
    const dead = this.repo.list().filter((p) => p.startId !== this.identity.startId && !ownerAlive(p, probe));
    for (const p of dead) this.repo.unregister(p.startId);
    return dead;
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#onBeat.clear();
    if (!this.#registered) return;
    this.#registered = false;
    try {
      this.repo.unregister(this.identity.startId);
    } catch (error) {
      this.log.warn('could not unregister this process', { error: String(error) });
    }
  }
}

export const runTempName = (runId: string): string => `run-${runId}`;
