import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../shared/ipc/channels';
import { fail, type Result } from '../../shared/ipc/result';
import type { Core } from '../core/create-core';
import type { Logger } from '../core/logger';
import { isAppPageUrl, type AppPage } from './app-origin';

/**
 * Wires every contract channel to the core. The core validates the input; this layer only
 * makes sure the call comes from the app's own page, and forwards the core's events.
 * Returns a function that removes every handler and listener.
 */
export function registerIpc(
  ipcMain: IpcMain,
  core: Pick<Core, 'invoke' | 'events'>,
  page: AppPage,
  windows: () => BrowserWindow[],
  log: Logger,
): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, input: unknown): Promise<Result<unknown>> => {
      const url = event.senderFrame?.url;
      if (!isAppPageUrl(url, page)) {
        log.warn('refused an IPC call from outside the app page', { channel, url: url ?? null });
        return Promise.resolve(fail({ code: 'UNAUTHORIZED', message: 'Calls are only accepted from the Vaultdesk window.' }));
      }
      return core.invoke(channel, input);
    });
  }
  const stopEvents = core.events.onAny((event, payload) => {
    for (const win of windows()) {
      if (!win.isDestroyed()) win.webContents.send(event, payload);
    }
  }, EVENT_CHANNELS);
  return () => {
    stopEvents();
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
  };
}
