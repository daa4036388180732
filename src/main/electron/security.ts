import type { App, Session, WebContents } from 'electron';
import { isAppPageUrl, type AppPage } from './app-origin';

/** Writing to the clipboard (copy a fingerprint or recipient) is the one thing the page may ask for. */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string | null | undefined, page: AppPage): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppPageUrl(requestingUrl, page);
}

/** Every permission request and check is refused unless it is on the short list above. */
export function restrictPermissions(session: Session, page: AppPage): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl ?? contents?.getURL(), page));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionAllowed(permission, details.requestingUrl ?? requestingOrigin, page),
  );
  session.setDevicePermissionHandler(() => false);
}

/**
 * The app is one page: it never navigates, opens windows or embeds webviews. Applied to every
 * web contents the app creates, so a future window cannot forget it.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  // Subframes too. loadFile/loadURL and hash changes (the renderer's routes) do not pass here.
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export function hardenAllWebContents(app: App): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}
