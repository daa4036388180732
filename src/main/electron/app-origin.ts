import { APP_HOST, APP_PAGE_URL, APP_SCHEME } from './app-protocol';

/** Where the app's own page is loaded from: app://vaultdesk/index.html, or the dev server in development. */
export interface AppPage {
  /** The URL the window loads in a built app. */
  url: string;
  /** Origin of `electron-vite dev`'s server, when running under it (never in a packaged app). */
  devOrigin: string | null;
}

export function appPage(devServerUrl: string | undefined): AppPage {
  let devOrigin: string | null = null;
  if (devServerUrl) {
    const url = new URL(devServerUrl);
    if (url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1')) devOrigin = url.origin;
  }
  return { url: APP_PAGE_URL, devOrigin };
}

/**
 * True only for the app's own page. IPC handlers call it with `event.senderFrame.url`, so a
 * frame that was navigated elsewhere, an iframe or a devtools extension cannot reach the core.
 * The hash is the renderer's route and is ignored; a query string is not expected and refused.
 */
export function isAppPageUrl(url: string | null | undefined, page: AppPage): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.search !== '' || parsed.username !== '' || parsed.password !== '') return false;
  if (parsed.protocol === `${APP_SCHEME}:`) return parsed.host === APP_HOST && parsed.pathname === '/index.html';
  return page.devOrigin !== null && parsed.origin === page.devOrigin;
}
