import type { VaultdeskApi } from '../../shared/ipc/contract';

declare global {
  interface Window {
    /** Set by the Electron preload, or by main.tsx over the serve bridge's WebSocket in a browser. */
    vaultdesk: VaultdeskApi;
    /** Desktop app only: the path of a file dropped on the window (empty when it has none). */
    vaultdeskFiles?: { pathOf(file: File): string };
  }
}

export {};
