import { EventEmitter } from 'node:events';
import type { EventChannel } from '../../shared/ipc/channels';
import type { EventPayload } from '../../shared/ipc/contract';

/** Typed pub/sub for the contract's pushed events; every host forwards these to its windows. */
export class CoreEvents {
  readonly #emitter = new EventEmitter();

  emit<E extends EventChannel>(event: E, payload: EventPayload<E>): void {
    this.#emitter.emit(event, payload);
  }

  on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    this.#emitter.on(event, listener);
    return () => this.#emitter.off(event, listener);
  }

  /** Whether anyone listens: a test notification says whether a desktop app will show it. */
  listenerCount(event: EventChannel): number {
    return this.#emitter.listenerCount(event);
  }

  /** Every event, for bridges that forward them all. */
  onAny(listener: (event: EventChannel, payload: unknown) => void, channels: readonly EventChannel[]): () => void {
    const offs = channels.map((c) => this.on(c, (p) => listener(c, p)));
    return () => offs.forEach((off) => off());
  }
}
