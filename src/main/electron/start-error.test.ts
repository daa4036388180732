import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/ipc/result';
import { startErrorBox } from './start-error';

describe('startErrorBox', () => {
  const where = { dataDir: '/home/dba/.config/Vaultdesk', logFile: '/home/dba/.config/Vaultdesk/logs/vaultdesk.log' };

  it("shows the core's own words and where the data folder and log are", () => {
    const box = startErrorBox(new AppError('MASTER_KEY_UNAVAILABLE', 'No OS keychain is available. Give the key with --master-key-file.'), where);
    expect(box).toEqual({
      title: 'Vaultdesk cannot start',
      content:
        'No OS keychain is available. Give the key with --master-key-file.\n\nData folder: /home/dba/.config/Vaultdesk\nLog file: /home/dba/.config/Vaultdesk/logs/vaultdesk.log',
    });
  });

  it('puts a file system refusal in words rather than an errno, and leaves out a log file there is none of', () => {
    const refused = Object.assign(new Error("EACCES: permission denied, mkdir '/home/dba/.config/Vaultdesk'"), { code: 'EACCES', syscall: 'mkdir' });
    const box = startErrorBox(refused, { dataDir: '/home/dba/.config/Vaultdesk', logFile: null });
    expect(box.content).toBe(
      'The data folder cannot be used: permission denied on /home/dba/.config/Vaultdesk: the user running Vaultdesk is not allowed to use it. Fix the folder (its owner and permissions, free space), or start Vaultdesk with --data-dir set to a folder you can write.\n\nData folder: /home/dba/.config/Vaultdesk',
    );
    expect(startErrorBox(Object.assign(new Error('x'), { code: 'EROFS', syscall: 'open' }), where).content).toContain('is on a read-only file system');
  });

  it('does not blame the data folder for an error that is not the file system refusing', () => {
    const dlopen = Object.assign(new Error('/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node: invalid ELF header'), { code: 'ERR_DLOPEN_FAILED' });
    expect(startErrorBox(dlopen, where).content).toBe(
      'Vaultdesk failed while starting: /app/node_modules/better-sqlite3/build/Release/better_sqlite3.node: invalid ELF header\n\nData folder: /home/dba/.config/Vaultdesk\nLog file: /home/dba/.config/Vaultdesk/logs/vaultdesk.log',
    );
  });
});
