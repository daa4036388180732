import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { buildApi, type Transport } from '../shared/ipc/client';
import type { Result } from '../shared/ipc/result';

// The renderer gets exactly one object, built from the contract: no ipcRenderer, no Node.
const transport: Transport = {
  invoke: (channel, input) =>
    (ipcRenderer.invoke(channel, input) as Promise<Result<unknown>>).catch(
      (error: unknown): Result<unknown> => ({ ok: false, error: { code: 'INTERNAL', message: `The call ${channel} did not reach the app: ${String(error)}` } }),
    ),
  subscribe: (event, listener) => {
    const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(event, handler);
    return () => {
      ipcRenderer.removeListener(event, handler);
    };
  },
};

contextBridge.exposeInMainWorld('vaultdesk', buildApi(transport));

// A file dropped on the window is known to the page only as a File; the offline decryption form
// needs where it is on disk. Electron alone can say; a browser on `vaultdesk serve` cannot.
contextBridge.exposeInMainWorld('vaultdeskFiles', { pathOf: (file: File): string => webUtils.getPathForFile(file) });
