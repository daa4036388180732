import type { EventChannel } from '../../shared/ipc/channels';
import type { EventPayload, VaultdeskApi } from '../../shared/ipc/contract';
import { AppError, type Result } from '../../shared/ipc/result';

type Domains = Exclude<keyof VaultdeskApi, 'on'>;

/** `window.vaultdesk` with every Result unwrapped: calls resolve with the data or reject with an AppError. */
export type Api = {
  [D in Domains]: {
    [A in keyof VaultdeskApi[D]]: VaultdeskApi[D][A] extends (input: infer I) => Promise<Result<infer R>> ? (input: I) => Promise<R> : never;
  };
};

export async function unwrapResult<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending;
  if (result.ok) return result.data;
  throw AppError.fromPayload(result.error);
}

// Looked up on every call, so the module can be imported before main.tsx installs the transport.
export const api = new Proxy({} as Api, {
  get: (_target, domain: string) =>
    new Proxy(
      {},
      {
        get: (_t, action: string) => (input: unknown) => {
          const group = (window.vaultdesk as unknown as Record<string, Record<string, (i: unknown) => Promise<Result<unknown>>>>)[domain];
          const fn = group?.[action];
          if (!fn) return Promise.reject(new AppError('UNKNOWN_CHANNEL', `The app has no ${domain}:${action} call.`));
          return unwrapResult(fn(input ?? {}));
        },
      },
    ),
});

export function onEvent<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return window.vaultdesk.on(event, listener);
}

/** Anything caught from a call, as an AppError (a bug in the page becomes INTERNAL). */
export function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError('INTERNAL', error instanceof Error ? error.message : String(error));
}
