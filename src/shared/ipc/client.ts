import { EVENT_CHANNELS, INVOKE_CHANNELS, type EventChannel, type InvokeChannel } from './channels';
import type { EventPayload, VaultdeskApi } from './contract';
import type { Result } from './result';

/** How a host carries one call and its events: Electron IPC in the preload, a WebSocket in a browser. */
export interface Transport {
  invoke(channel: InvokeChannel, input: unknown): Promise<Result<unknown>>;
  subscribe(event: EventChannel, listener: (payload: unknown) => void): () => void;
}

/** Builds `window.vaultdesk` from the channel list, so no channel is wired by hand. */
export function buildApi(transport: Transport): VaultdeskApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const channel of INVOKE_CHANNELS) {
    const [domain, action] = channel.split(':') as [string, string];
    api[domain] ??= {};
    api[domain][action] = (input: unknown) => transport.invoke(channel, input ?? {});
  }
  const on = <E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): (() => void) => {
    if (!EVENT_CHANNELS.includes(event)) throw new Error(`Unknown event ${event}`);
    return transport.subscribe(event, listener as (payload: unknown) => void);
  };
  return Object.assign(api, { on }) as unknown as VaultdeskApi;
}
