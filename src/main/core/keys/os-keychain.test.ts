import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { probeCommand, shouldSkip } from '../testing/services';
import { tempDir } from '../testing/temp-dir';

const child = fileURLToPath(new URL('../testing/keychain-child.ts', import.meta.url));
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const missing = probeCommand('dbus-run-session', ['--version']) ?? probeCommand('gnome-keyring-daemon', ['--version']);
const t = tempDir('vaultdesk-keychain-');
afterAll(() => t.cleanup());

/** One short-lived session bus + keyring per call; HOME keeps the keyring file between calls. */
function inKeyring(home: string, args: string[]): Record<string, unknown> {
  mkdirSync(home, { recursive: true });
  const script = 'printf PASS | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"';
  const result = spawnSync('dbus-run-session', ['--', 'sh', '-c', script, 'sh', process.execPath, '--import', 'tsx', child, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: path.join(home, '.local/share'), XDG_RUNTIME_DIR: undefined },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`keychain child failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

describe.skipIf(shouldSkip('gnome-keyring under dbus-run-session', missing))('OS keychain (gnome-keyring, Secret Service)', () => {
  const home = path.join(t.dir, 'home');
  const dataDir = path.join(t.dir, 'data');

  it('creates the master key in the keychain on first start and reads secrets back on the next', () => {
    const seeded = inKeyring(home, [dataDir, 'vaultdesk-test', 'seed']);
    expect(seeded).toMatchObject({ state: 'ok', keychainHasKey: true });
    const read = inKeyring(home, [dataDir, 'vaultdesk-test', 'read']);
    expect(read).toMatchObject({ state: 'ok', password: 'keychain-held-secret', fingerprint: seeded.fingerprint });
  });

  it('rotates the key in the keychain', () => {
    const before = inKeyring(home, [dataDir, 'vaultdesk-test', 'read']);
    const rotated = inKeyring(home, [dataDir, 'vaultdesk-test', 'rotate']);
    expect(rotated).toMatchObject({ password: 'keychain-held-secret', rotated: { secretsReencrypted: 1 } });
    const after = inKeyring(home, [dataDir, 'vaultdesk-test', 'read']);
    expect(after.fingerprint).not.toBe(before.fingerprint);
    expect(after.password).toBe('keychain-held-secret');
  });

  it('starts without the key when the entry is gone, and says so', () => {
    inKeyring(home, [dataDir, 'vaultdesk-test', 'forget']);
    const lost = inKeyring(home, [dataDir, 'vaultdesk-test', 'status']);
    expect(lost).toMatchObject({ state: 'missing', keychainHasKey: false });
  });

  it('without any keychain, fails with MASTER_KEY_UNAVAILABLE saying so in words (the host adds how to give a key)', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', child, path.join(t.dir, 'nokeychain'), 'vaultdesk-test', 'status'], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: path.join(t.dir, 'empty-home'), DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('MASTER_KEY_UNAVAILABLE');
    expect(result.stderr).toContain("No OS keychain can be reached: no Secret Service (such as gnome-keyring or KWallet) answers on this session's D-Bus");
  });
});
