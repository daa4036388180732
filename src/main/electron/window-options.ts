import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The one window's options. The renderer gets no Node, runs sandboxed and isolated from the
 * preload, and can only reach the core through the preload's `window.vaultdesk`. DevTools only
 * in development: in a packaged app they would hand anyone at the keyboard a console on the page.
 */
export function mainWindowOptions(preloadPath: string, iconPath: string | undefined, devTools = false): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Vaultdesk',
    backgroundColor: '#f8f9fa',
    ...(iconPath ? { icon: iconPath } : {}),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools,
    },
  };
}
