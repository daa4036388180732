import { _electron as electron, expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * The Electron binary, or why there is none: npm installs only Electron's package, and the binary
 * is fetched from GitHub on first use (`npm start` does it), which build machines without that
 * access cannot do.
 */
function electronBinary(): { path: string } | { missing: string } {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('electron/package.json'));
  if (!existsSync(path.join(dir, 'path.txt'))) return { missing: `the Electron binary is not installed (${dir}/dist is fetched from GitHub on first use, unreachable here)` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { missing: 'there is no display (DISPLAY or WAYLAND_DISPLAY)' };
  return { path: require('electron') as string };
}

const binary = electronBinary();
if ('missing' in binary) console.warn(`SKIP the real Electron launch test: Electron cannot run here: ${binary.missing}.`);

// The one test that may skip under VAULTDESK_REQUIRE_ALL: it needs what no build machine here can
// have. The desktop wiring is covered meanwhile by src/main/electron/desktop-host.test.ts (a
// stand-in electron module loading the built main bundle).
test.skip('missing' in binary, 'missing' in binary ? `Electron cannot run here: ${binary.missing}` : '');

test('the real desktop app starts, shows its page from app://, reaches the core and quits', async () => {
  if (!('path' in binary)) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'vaultdesk-electron-'));
  const keyFile = path.join(dir, 'master.key');
  writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  const app = await electron.launch({ executablePath: binary.path, args: [ROOT, '--data-dir', path.join(dir, 'data'), '--master-key-file', keyFile], cwd: ROOT });
  try {
    const window = await app.firstWindow();
    expect(window.url()).toMatch(/^app:\/\/vaultdesk\/index\.html/);
    await expect(window.getByRole('heading', { name: 'Home' })).toBeVisible();
    const info = await window.evaluate(() => (window as unknown as { vaultdesk: { app: { info: (i: object) => Promise<{ ok: boolean; data: { dataDir: string } }> } } }).vaultdesk.app.info({}));
    expect(info).toMatchObject({ ok: true, data: { dataDir: path.join(dir, 'data') } });
    expect(readFileSync(path.join(dir, 'data', 'logs', 'vaultdesk.log'), 'utf8')).not.toContain(readFileSync(keyFile, 'utf8').trim());
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
