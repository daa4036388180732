import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/ipc/result';
import { tempDir } from '../core/testing/temp-dir';
import { applyStartAtLogin, autostartEntry, autostartFile, type LoginItemHost } from './login-item';

describe('start at login', () => {
  let t: ReturnType<typeof tempDir>;
  let calls: unknown[];
  const host = (platform: NodeJS.Platform, extra: Partial<LoginItemHost> = {}): LoginItemHost => ({
    platform,
    setLoginItemSettings: (settings) => void calls.push(settings),
    executable: '/opt/Vaultdesk/vaultdesk',
    args: ['--data-dir', '/home/ann/backup data'],
    env: { XDG_CONFIG_HOME: path.join(t.dir, 'config') },
    home: path.join(t.dir, 'home'),
    ...extra,
  });

  beforeEach(() => {
    t = tempDir('vaultdesk-login-');
    calls = [];
  });
  afterEach(() => t.cleanup());

  it('on Linux writes an XDG autostart entry that starts the app hidden with its data dir, and removes it when turned off', () => {
    const file = path.join(t.dir, 'config', 'autostart', 'vaultdesk.desktop');
    applyStartAtLogin(true, host('linux'));
    expect(readFileSync(file, 'utf8')).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Name=Vaultdesk',
        'Comment=Scheduled database backups, from the tray',
        'Exec="/opt/Vaultdesk/vaultdesk" "--hidden" "--data-dir" "/home/ann/backup data"',
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expect(calls).toEqual([]);
    applyStartAtLogin(false, host('linux'));
    expect(existsSync(file)).toBe(false);
    // Off when it was never on: nothing to remove, no error.
    applyStartAtLogin(false, host('linux'));
  });

  it('quotes what a desktop entry would read as its own syntax: quotes, $, `, backslashes and %', () => {
    expect(autostartEntry('/tmp/a "b"/$HOME`x`\\y 100%', [])).toContain('Exec="/tmp/a \\\\"b\\\\"/\\\\$HOME\\\\`x\\\\`\\\\\\\\y 100%%"\n');
    expect(() => autostartEntry('/tmp/two\nlines', [])).toThrow(/cannot hold a line break/);
  });

  it('finds the autostart folder under $XDG_CONFIG_HOME when it is absolute, else ~/.config', () => {
    expect(autostartFile({ XDG_CONFIG_HOME: '/x/conf' }, '/home/ann')).toBe('/x/conf/autostart/vaultdesk.desktop');
    expect(autostartFile({ XDG_CONFIG_HOME: 'relative' }, '/home/ann')).toBe('/home/ann/.config/autostart/vaultdesk.desktop');
    expect(autostartFile({}, '/home/ann')).toBe('/home/ann/.config/autostart/vaultdesk.desktop');
  });

  it('says in words why the entry could not be written', () => {
    writeFileSync(path.join(t.dir, 'config'), 'a file where the config folder should be');
    let caught: unknown;
    try {
      applyStartAtLogin(true, host('linux'));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('FILE_WRITE_FAILED');
    expect((caught as AppError).message).toBe(
      `Could not make Vaultdesk start at login: part of ${path.join(t.dir, 'config', 'autostart', 'vaultdesk.desktop')} is a file where a folder should be.`,
    );
  });

  it('on Windows sets the login item with the executable and quoted arguments; on macOS only whether it opens', () => {
    applyStartAtLogin(true, host('win32', { executable: 'C:\\Program Files\\Vaultdesk\\Vaultdesk.exe', args: ['--data-dir', 'D:\\Backup Data'] }));
    applyStartAtLogin(false, host('darwin'));
    expect(calls).toEqual([
      { openAtLogin: true, path: 'C:\\Program Files\\Vaultdesk\\Vaultdesk.exe', args: ['--hidden', '--data-dir', '"D:\\Backup Data"'] },
      { openAtLogin: false },
    ]);
    expect(existsSync(path.join(t.dir, 'config'))).toBe(false);
  });
});
