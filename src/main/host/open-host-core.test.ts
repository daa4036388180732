import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger';
import { tempDir } from '../core/testing/temp-dir';
import { hostToolEnv } from './host-paths';
import { prepareHost } from './open-host-core';

describe('prepareHost', () => {
  const t = tempDir('vaultdesk-host-');
  afterAll(() => t.cleanup());

  it('takes the master key out of the environment, keeps a log file in the data dir and says where in app:info', async () => {
    const dataDir = path.join(t.dir, 'app-data');
    const key = randomBytes(32).toString('base64');
    const env: NodeJS.ProcessEnv = { PATH: '/opt/tools/bin:/usr/bin', HOME: '/home/dba', VAULTDESK_MASTER_KEY: key };
    const host = prepareHost({ kind: 'app', env, dataDir, log: silentLogger, logFile: 'vaultdesk', version: '9.9.9', leftoverCleanup: 'background' });
    expect(env).not.toHaveProperty('VAULTDESK_MASTER_KEY');
    // Nothing is made before the key is at hand.
    expect(host.logFile).toBeNull();
    expect(existsSync(dataDir)).toBe(false);
    const core = await host.open();
    expect(host.logFile).toBe(path.join(dataDir, 'logs', 'vaultdesk.log'));
    try {
      expect(core.toolEnv).toEqual({ PATH: '/opt/tools/bin:/usr/bin', HOME: '/home/dba' });
      const info = await core.call('app:info', {});
      expect(info).toMatchObject({ version: '9.9.9', dataDir, logFile: host.logFile, host: 'app' });
      // The key read from the environment opened the store.
      expect(info.key.state).toBe('ok');
      host.log.warn('a destination was slow', { destination: 'nas' });
    } finally {
      core.close();
    }
    const lines = readFileSync(host.logFile!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', message: 'Vaultdesk started', host: 'app', version: '9.9.9' }));
    expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'a destination was slow', destination: 'nas' }));
    expect(readFileSync(host.logFile!, 'utf8')).not.toContain(key);
  });

  it('keeps no log file for a CLI command, and goes on without one where the data dir refuses it', async () => {
    const cli = prepareHost({ kind: 'cli', env: { VAULTDESK_MASTER_KEY: randomBytes(32).toString('base64') }, dataDir: path.join(t.dir, 'cli-data'), log: silentLogger, version: '1', leftoverCleanup: 'await' });
    expect(cli.logFile).toBeNull();
    const core = await cli.open();
    try {
      expect(await core.call('app:info', {})).toMatchObject({ logFile: null, host: 'cli' });
    } finally {
      core.close();
    }
    expect(existsSync(path.join(t.dir, 'cli-data', 'logs'))).toBe(false);

    // A file where the logs folder would go: the folder cannot be made.
    const blocked = path.join(t.dir, 'blocked-data');
    mkdirSync(blocked);
    writeFileSync(path.join(blocked, 'logs'), '');
    chmodSync(path.join(blocked, 'logs'), 0o400);
    const warnings: string[] = [];
    const log = { ...silentLogger, warn: (message: string) => void warnings.push(message) };
    const serve = prepareHost({ kind: 'serve', env: { VAULTDESK_MASTER_KEY: randomBytes(32).toString('base64') }, dataDir: blocked, log, logFile: 'serve', version: '1', leftoverCleanup: 'background' });
    const served = await serve.open();
    served.close();
    expect(serve.logFile).toBeNull();
    expect(warnings).toEqual(['no log file: it could not be created in the data folder']);
  });
});

describe('hostToolEnv', () => {
  it('gives dump tools a PATH when the launcher gave none, and never the master key', () => {
    expect(hostToolEnv({ HOME: '/home/dba', VAULTDESK_MASTER_KEY: 'k' }, 'linux')).toEqual({ HOME: '/home/dba', PATH: '/usr/local/bin:/usr/bin:/bin' });
    expect(hostToolEnv({ Path: 'C:\\Tools', SystemRoot: 'C:\\Windows' }, 'win32')).toEqual({ Path: 'C:\\Tools', SystemRoot: 'C:\\Windows' });
    expect(hostToolEnv({ SystemRoot: 'C:\\Windows' }, 'win32')).toEqual({ SystemRoot: 'C:\\Windows', PATH: 'C:\\Windows\\System32;C:\\Windows' });
  });
});
