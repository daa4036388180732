import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, toolEnvFrom } from './paths';

describe('defaultDataDir', () => {
  const home = '/home/dba';

  it('on Linux follows an absolute XDG_CONFIG_HOME and ignores an empty or relative one', () => {
    expect(defaultDataDir('linux', {}, home)).toBe('/home/dba/.config/Vaultdesk');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/srv/config' }, home)).toBe('/srv/config/Vaultdesk');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '' }, home)).toBe('/home/dba/.config/Vaultdesk');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: 'config' }, home)).toBe('/home/dba/.config/Vaultdesk');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: './.config' }, home)).toBe('/home/dba/.config/Vaultdesk');
  });

  it('VAULTDESK_DATA_DIR wins on every platform, made absolute', () => {
    expect(defaultDataDir('linux', { VAULTDESK_DATA_DIR: '/data/vd', XDG_CONFIG_HOME: '/srv/config' }, home)).toBe('/data/vd');
    expect(defaultDataDir('darwin', { VAULTDESK_DATA_DIR: '/data/vd' }, home)).toBe('/data/vd');
    expect(defaultDataDir('linux', { VAULTDESK_DATA_DIR: 'rel/vd' }, home)).toBe(path.resolve('rel/vd'));
  });

  it('on macOS is Application Support, whatever XDG_CONFIG_HOME says', () => {
    expect(defaultDataDir('darwin', { XDG_CONFIG_HOME: '/srv/config' }, '/Users/dba')).toBe('/Users/dba/Library/Application Support/Vaultdesk');
  });

  it('on Windows is %APPDATA%, or Roaming under the home folder when APPDATA is missing, empty or relative', () => {
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\dba\\AppData\\Roaming' }, 'C:\\Users\\dba')).toBe('C:\\Users\\dba\\AppData\\Roaming\\Vaultdesk');
    expect(defaultDataDir('win32', {}, 'C:\\Users\\dba')).toBe('C:\\Users\\dba\\AppData\\Roaming\\Vaultdesk');
    expect(defaultDataDir('win32', { APPDATA: '' }, 'C:\\Users\\dba')).toBe('C:\\Users\\dba\\AppData\\Roaming\\Vaultdesk');
    expect(defaultDataDir('win32', { APPDATA: 'Roaming' }, 'C:\\Users\\dba')).toBe('C:\\Users\\dba\\AppData\\Roaming\\Vaultdesk');
  });
});

describe('toolEnvFrom', () => {
  it("drops Vaultdesk's own variables, the master key among them, and keeps the rest", () => {
    expect(toolEnvFrom({ PATH: '/usr/bin', HOME: '/home/dba', VAULTDESK_MASTER_KEY: 'k', VAULTDESK_DATA_DIR: '/d', LANG: 'C.UTF-8' })).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/dba',
      LANG: 'C.UTF-8',
    });
  });
});
