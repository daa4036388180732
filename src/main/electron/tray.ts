import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import path from 'node:path';
import type { CoreEvents } from '../core/events';
import type { Logger } from '../core/logger';
import type { TrayAction, TrayMenuItem, TrayModel, TrayState } from '../core/tray/tray-model';

/** Ages in the menu are in minutes; the tray is redrawn at least this often. */
const REDRAW_MS = 60_000;
/** Progress events come many times a second while a run goes: redraws are gathered this long. */
const COALESCE_MS = 250;

export interface AppTrayDeps {
  /** The core's model now, or null once the core is closed. */
  model(): TrayModel | null;
  events: Pick<CoreEvents, 'on'>;
  /** What a menu entry or a click on the icon asks for; the app decides how. */
  act(action: TrayAction): void;
  /** Where tray-<state>.png (and its @2x) are. */
  iconDir: string;
  platform: NodeJS.Platform;
  log: Logger;
}

export interface AppTray {
  /** Redraws now (after an action the app took itself). */
  refresh(): void;
  destroy(): void;
}

export function trayIconPath(iconDir: string, state: TrayState): string {
  return path.join(iconDir, `tray-${state}.png`);
}

/**
 * The tray icon: its picture and tooltip show the worst state of the jobs, its menu is the
 * core's menu model. Electron only draws it: it is rebuilt from the core whenever a run moves,
 * the configuration or the schedules change, and every minute for the ages.
 */
export function createAppTray(deps: AppTrayDeps): AppTray {
  const tray = new Tray(nativeImage.createFromPath(trayIconPath(deps.iconDir, 'ok')));
  let drawn = '';
  let pending: NodeJS.Timeout | null = null;
  let destroyed = false;

  const refresh = (): void => {
    if (destroyed) return;
    let model: TrayModel | null;
    try {
      model = deps.model();
    } catch (error) {
      deps.log.warn('could not read the jobs for the tray', { error: String(error) });
      return;
    }
    if (!model) return;
    // Menus are rebuilt only when something shows differently: on Linux a new menu flickers.
    const key = JSON.stringify([model.state, model.tooltip, model.menu]);
    if (key === drawn) return;
    drawn = key;
    const icon = nativeImage.createFromPath(trayIconPath(deps.iconDir, model.state));
    if (icon.isEmpty()) deps.log.warn('tray icon missing', { state: model.state, dir: deps.iconDir });
    tray.setImage(icon);
    tray.setToolTip(model.tooltip);
    tray.setContextMenu(Menu.buildFromTemplate(menuTemplate(model.menu, deps.act, deps.platform)));
  };
  const refreshSoon = (): void => {
    if (pending || destroyed) return;
    pending = setTimeout(() => {
      pending = null;
      refresh();
    }, COALESCE_MS);
  };

  const stops = [
    deps.events.on('runs:progress', refreshSoon),
    deps.events.on('runs:finished', refreshSoon),
    deps.events.on('config:changed', refreshSoon),
    deps.events.on('schedules:changed', refreshSoon),
  ];
  const timer = setInterval(refresh, REDRAW_MS);
  // Windows users expect a click on a tray icon to open its window; macOS shows the menu, and most Linux trays send no clicks.
  if (deps.platform === 'win32') tray.on('click', () => deps.act({ kind: 'open' }));
  refresh();

  return {
    refresh,
    destroy: () => {
      if (destroyed) return;
      destroyed = true;
      for (const stop of stops) stop();
      clearInterval(timer);
      if (pending) clearTimeout(pending);
      tray.destroy();
    },
  };
}

/** The model's menu as Electron's template; an entry's click hands its action back. */
export function menuTemplate(items: readonly TrayMenuItem[], act: (action: TrayAction) => void, platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    const { action } = item;
    return {
      // Windows reads "&" in a label as the next letter's shortcut: a job named "R&D" keeps its "&".
      label: platform === 'win32' ? item.label.replace(/&/g, '&&') : item.label,
      enabled: item.enabled,
      ...(item.submenu ? { submenu: menuTemplate(item.submenu, act, platform) } : {}),
      ...(action ? { click: () => act(action) } : {}),
    };
  });
}
