import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../core/store/db';
import { cliRunner, type CliResult, VAULTDESK_BIN } from '../core/testing/cli-runner';
import { probeCommand, shouldSkip } from '../core/testing/services';
import { tempDir } from '../core/testing/temp-dir';

const t = tempDir('vaultdesk-keyfile-');
afterAll(() => t.cleanup());
const home = path.join(t.dir, 'home');
mkdirSync(home);
/** A session bus that is not there: what a server, a container or an SSH login has. */
const NO_BUS = 'unix:path=/nonexistent/vaultdesk-test-bus';
const noKeyring = probeCommand('dbus-run-session', ['--version']) ?? probeCommand('gnome-keyring-daemon', ['--version']);

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH!, HOME: home, DBUS_SESSION_BUS_ADDRESS: NO_BUS, ...extra };
}

/** The command with the global options it is given, and nothing of the runner's: no data dir, no key file. */
const cli = cliRunner(home, { dataDir: null, keyFile: null });
function vaultdesk(args: string[], extra: Record<string, string> = {}): CliResult {
  return cli(args, { env: env(extra) });
}

/** The same command inside a session bus with an unlocked gnome-keyring; HOME keeps the keyring between calls. */
function inKeyring(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const script = 'printf PASS | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"';
  const r = spawnSync('dbus-run-session', ['--', 'sh', '-c', script, 'sh', process.execPath, VAULTDESK_BIN, ...args], {
    env: { PATH: process.env.PATH!, HOME: home, XDG_DATA_HOME: path.join(home, '.local/share') },
    encoding: 'utf8',
    timeout: 120_000,
  });
  // dbus-daemon complains on stderr when it may not raise its file limit; that is not ours.
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => !l.startsWith('dbus-daemon[')).join('\n') };
}

const mode = (p: string): number => statSync(p).mode & 0o777;

describe('no OS keychain and no key given', { timeout: 240_000 }, () => {
  const dataDir = path.join(home, '.config', 'Vaultdesk');
  const keyFile = path.join(home, '.config', 'Vaultdesk-key', 'master.key');

  it('an ordinary command says in words how to give a key and creates nothing', () => {
    for (const args of [['job', 'list'], ['source', 'add', 'sqlite', '--name', 'app', '--path', '/srv/app.db'], ['key', 'status']]) {
      const r = vaultdesk(args);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        "vaultdesk: error [MASTER_KEY_UNAVAILABLE]: No OS keychain can be reached: no Secret Service (such as gnome-keyring or KWallet) answers on this session's D-Bus, as on a server or over SSH. " +
          'No master key was given either, so nothing was created. Give the master key with --master-key-file FILE or the VAULTDESK_MASTER_KEY environment variable: the base64 of 32 random bytes, which head -c 32 /dev/urandom | base64 prints. ' +
          `(npm start and vaultdesk quickstart make one for you in ${path.dirname(keyFile)}.)\n`,
      );
    }
    // Not even the data dir: the next start must not find a half-made store.
    expect(existsSync(path.join(home, '.config'))).toBe(false);
  });

  it('quickstart keeps the key in a file of its own beside the data dir, says so in one line, and reminds to keep a copy', () => {
    const r = vaultdesk(['quickstart', '--backup-dir', path.join(t.dir, 'backups')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `No OS keychain could be reached, so the master key was saved in ${keyFile} (readable by you only): it protects the stored credentials only as well as that file is protected. Once a keychain is available, move the key into it with: vaultdesk key move-to-keychain\n`,
    );
    expect(r.stdout).toContain('Keep a copy of the master key apart from the backups: without it the credentials stored in Vaultdesk cannot be read. Write one with:\n  vaultdesk key export --out FILE\n');
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
    expect(mode(keyFile)).toBe(0o600);
    expect(mode(path.dirname(keyFile))).toBe(0o700);
    expect(readdirSync(path.dirname(keyFile))).toEqual(['master.key']);
    // Beside the data dir, not in it.
    expect(readdirSync(dataDir)).not.toContain('master.key');
    expect(existsSync(path.join(dataDir, 'vaultdesk.db'))).toBe(true);
  });

  it('later commands find the key file by themselves, and key status says where it is', () => {
    const list = vaultdesk(['job', 'list', '--json']);
    expect(list.stderr).toBe('');
    expect(JSON.parse(list.stdout)).toMatchObject([{ name: 'demo-backup', encryption: 'age' }]);
    const status = JSON.parse(vaultdesk(['key', 'status', '--json']).stdout) as Record<string, unknown>;
    expect(status).toMatchObject({ state: 'ok', source: 'file', fallbackFile: keyFile, location: `key file ${keyFile}, kept beside the data dir because no OS keychain could be reached` });
    expect(status.message).toContain('It protects the stored credentials only as well as that file is protected; move it into a keychain when one is available (vaultdesk key move-to-keychain).');
    const text = vaultdesk(['key', 'status']).stdout;
    expect(text).toContain(`kept in      key file ${keyFile}, kept beside the data dir`);
    // The secrets sealed under it open: the demo backup runs again.
    const run = vaultdesk(['backup', 'run', 'demo-backup', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'succeeded' });
  });

  it('serve --key-file-fallback (what npm start runs without Electron) makes the key file for a new data dir and serves', async () => {
    const served = path.join(t.dir, 'served');
    const child = spawn(process.execPath, [VAULTDESK_BIN, '--data-dir', served, 'serve', '--key-file-fallback'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const deadline = Date.now() + 60_000;
      while (!stdout.includes('Vaultdesk is serving at') && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(stdout).toMatch(/^Vaultdesk is serving at http:\/\/127\.0\.0\.1:\d+\/\?token=/);
      expect(stderr).toBe(`No OS keychain could be reached, so the master key was saved in ${served}-key/master.key (readable by you only): it protects the stored credentials only as well as that file is protected. Once a keychain is available, move the key into it with: vaultdesk key move-to-keychain\n`);
      expect(mode(`${served}-key/master.key`)).toBe(0o600);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    // Plain serve, as any other command, makes nothing.
    const plain = vaultdesk(['--data-dir', path.join(t.dir, 'plain-serve'), 'serve']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('[MASTER_KEY_UNAVAILABLE]');
    expect(existsSync(path.join(t.dir, 'plain-serve'))).toBe(false);
    expect(existsSync(path.join(t.dir, 'plain-serve-key'))).toBe(false);
  });

  it('a data dir left behind by an older version (a store without a key) gets the key file too', () => {
    const old = path.join(t.dir, 'old-data');
    // What earlier versions left on a failed start: the store, with no key check value yet.
    mkdirSync(old);
    openDatabase(path.join(old, 'vaultdesk.db')).close();
    const r = vaultdesk(['--data-dir', old, 'quickstart', '--backup-dir', path.join(t.dir, 'old-backups')]);
    expect(r.code).toBe(0);
    expect(existsSync(`${old}-key/master.key`)).toBe(true);
  });

  describe.skipIf(shouldSkip('gnome-keyring under dbus-run-session', noKeyring))('once a keychain is available', () => {
    it('key move-to-keychain moves the key into it and removes the file; later starts use the keychain', () => {
      const moved = inKeyring(['key', 'move-to-keychain', '--json']);
      expect(moved.stderr).toBe('');
      expect(moved.code).toBe(0);
      expect(JSON.parse(moved.stdout)).toMatchObject({ removed: keyFile, from: expect.stringContaining(`key file ${keyFile}`) });
      expect(existsSync(keyFile)).toBe(false);
      expect(existsSync(path.dirname(keyFile))).toBe(false);
      const status = JSON.parse(inKeyring(['key', 'status', '--json']).stdout) as Record<string, unknown>;
      expect(status).toMatchObject({ state: 'ok', source: 'keychain', fallbackFile: null, fingerprint: (JSON.parse(moved.stdout) as { fingerprint: string }).fingerprint });
      // The secrets open with the key from the keychain.
      const identity = path.join(t.dir, 'identity.txt');
      const exported = inKeyring(['profile', 'export-identity', 'quickstart', '-o', identity]);
      expect(exported.code).toBe(0);
      expect(readFileSync(identity, 'utf8')).toMatch(/^AGE-SECRET-KEY-1/m);
      expect(inKeyring(['key', 'move-to-keychain']).stderr).toBe('vaultdesk: error [VALIDATION_FAILED]: The master key is already in the OS keychain (service "vaultdesk").\n');

      // Without the keychain now, the data dir says where its key is and how to give it.
      const away = vaultdesk(['job', 'list']);
      expect(away.code).toBe(1);
      expect(away.stderr).toContain("This data dir's master key is kept in the OS keychain: run Vaultdesk where the keychain is unlocked, or give the key with --master-key-file FILE or VAULTDESK_MASTER_KEY");
      expect(existsSync(keyFile)).toBe(false);
    });
  });
});
