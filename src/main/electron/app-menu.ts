import type { MenuItemConstructorOptions } from 'electron';

/**
 * The application menu. A packaged app has no View menu (reload, DevTools): on Windows and
 * Linux no menu at all, since text fields copy and paste without one; on macOS only the app,
 * Edit and Window menus, because there the Edit menu's roles are what make Cmd+C/V work.
 * Development builds keep reload and DevTools. Null: no menu.
 */
export function appMenuTemplate(options: { packaged: boolean; platform: NodeJS.Platform }): MenuItemConstructorOptions[] | null {
  const mac = options.platform === 'darwin';
  if (options.packaged) return mac ? [{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }] : null;
  return [mac ? { role: 'appMenu' } : { role: 'fileMenu' }, { role: 'editMenu' }, { role: 'viewMenu' }, { role: 'windowMenu' }];
}
