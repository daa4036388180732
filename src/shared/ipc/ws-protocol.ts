import type { Result } from './result';

/**
 * The serve bridge's WebSocket messages (JSON text frames). One socket carries calls,
 * their results (matched by `id`) and pushed events.
 */
export type ClientMessage = { type: 'invoke'; id: number; channel: string; input: unknown };

export type ServerMessage =
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; event: string; payload: unknown };

/** The path the bridge accepts WebSocket upgrades on. */
export const WS_PATH = '/api/ws';
/**
 * The cookie that carries the per-start token after the first page load. Browsers keep cookies
 * per host, not per port, so the bridge's port is in the name: two bridges on one machine would
 * otherwise overwrite each other's cookie.
 */
export function tokenCookieName(port: number): string {
  return `vaultdesk_token_${port}`;
}
