import type { VaultdeskApi } from '../../shared/ipc/contract';

declare global {
  interface Window {
    /** Set by the Electron preload, or by main.tsx over the serve bridge's WebSocket in a browser. */
    vaultdesk: VaultdeskApi;
  }
}

export {};
