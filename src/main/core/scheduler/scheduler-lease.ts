import type { HostProcess } from '../ownership/host-process';
import { getMeta, setMeta, type Db } from '../store/db';

const KEY = 'scheduler_lease';
/**
 * A holder that is alive but has not renewed for this long has a scheduler that stopped without
 * letting go (hung, or stopped without release): another may take over.
 */
const STALE_MS = 2 * 60_000;
/** A held lease is written again only this often: a renewal is a write, and ticks come every few seconds. */
const RENEW_MS = 30_000;

interface LeaseRow {
  holder: string;
  acquiredAt: string;
  heartbeatAt: string;
}

export interface LeaseHolder {
  startId: string;
  /** "the Vaultdesk app (pid 4242)" */
  who: string;
  acquiredAt: string;
  heartbeatAt: string;
  self: boolean;
}

/**
 * One scheduler per data dir: the app, `vaultdesk daemon` and a second app instance may all try;
 * the lease row in the store says which one schedules. It is taken and renewed under the write
 * lock, and taken over when its holder's process is gone.
 */
export class SchedulerLease {
  constructor(
    private readonly db: Db,
    private readonly host: HostProcess,
    private readonly now: () => Date,
  ) {}

  /** Takes the lease if it is free or its holder is gone, renews it if held; true while this process holds it. */
  tryHold(): boolean {
    const me = this.host.identity.startId;
    this.host.ensureRegistered();
    const held = this.#read();
    if (held?.holder === me && this.now().getTime() - Date.parse(held.heartbeatAt) < RENEW_MS) return true;
    return this.db
      .transaction(() => {
        const at = this.now();
        const current = this.#read();
        const free = current === null || (current.holder !== me && (!this.host.isAlive(current.holder) || at.getTime() - Date.parse(current.heartbeatAt) > STALE_MS));
        if (current?.holder !== me && !free) return false;
        const acquiredAt = current?.holder === me ? current.acquiredAt : at.toISOString();
        setMeta(this.db, KEY, JSON.stringify({ holder: me, acquiredAt, heartbeatAt: at.toISOString() } satisfies LeaseRow));
        return true;
      })
      .immediate();
  }

  release(): void {
    this.db
      .transaction(() => {
        if (this.#read()?.holder === this.host.identity.startId) this.db.prepare('DELETE FROM meta WHERE key = ?').run(KEY);
      })
      .immediate();
  }

  holder(): LeaseHolder | null {
    const row = this.#read();
    if (!row) return null;
    return { startId: row.holder, who: this.host.describe(row.holder), acquiredAt: row.acquiredAt, heartbeatAt: row.heartbeatAt, self: row.holder === this.host.identity.startId };
  }

  #read(): LeaseRow | null {
    const text = getMeta(this.db, KEY);
    return text ? (JSON.parse(text) as LeaseRow) : null;
  }
}
