import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { BackupDto } from '../../shared/domain/backups';
import type { KitContentsDto } from '../../shared/domain/recovery';
import type { RunDto } from '../../shared/domain/runs';
import { seedSqliteFile } from '../core/testing/db-fixtures';
import { tempDir } from '../core/testing/temp-dir';

const bin = fileURLToPath(new URL('../../../bin/vaultdesk.mjs', import.meta.url));
const t = tempDir('vaultdesk-kit-import-cli-');
afterAll(() => t.cleanup());
const PASSPHRASE = 'the kit passphrase, kept apart';

/** `install` names a data dir and its own master key: 'old' made the backups, 'new' is the machine rebuilt. */
function vaultdesk(install: 'old' | 'new', args: string[], stdin = ''): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, '--data-dir', path.join(t.dir, install, 'data'), '--master-key-file', path.join(t.dir, `${install}.key`), ...args], {
    input: stdin,
    env: { PATH: process.env.PATH, HOME: t.dir },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function rowsOf(file: string): number {
  const Sqlite = createRequire(import.meta.url)('better-sqlite3') as typeof Database;
  const db = new Sqlite(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM "order items"').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('vaultdesk kit import: a rebuilt machine with only the recovery kit restores through Vaultdesk', { timeout: 240_000 }, () => {
  it('the old backup is found, refused until the kit is imported, then verified and restored; a second import changes nothing', () => {
    const folder = path.join(t.dir, 'backups');
    seedSqliteFile(path.join(t.dir, 'app.db'), 40);
    expect(vaultdesk('old', ['source', 'add', 'sqlite', '--name', 'app', '--path', path.join(t.dir, 'app.db')]).code).toBe(0);
    expect(vaultdesk('old', ['destination', 'add', 'local', '--name', 'disk', '--path', folder]).code).toBe(0);
    const recipient = vaultdesk('old', ['profile', 'create', '--name', 'team']).stdout.trim();
    expect(vaultdesk('old', ['job', 'add', '--name', 'app-nightly', '--source', 'app', '--destination', 'disk', '--encryption', 'team']).code).toBe(0);
    const run = JSON.parse(vaultdesk('old', ['backup', 'run', 'app-nightly', '--json']).stdout) as RunDto;
    expect(run.status).toBe('succeeded');
    const kit = path.join(t.dir, 'usb', 'kit.zip');
    expect(vaultdesk('old', ['kit', 'export', '-o', kit, '--passphrase-stdin'], `${PASSPHRASE}\n`).code).toBe(0);

    // The rebuilt machine before anything is set up: kit show reads the kit with no data dir and no key, and makes neither.
    const bare = spawnSync(process.execPath, [bin, '--data-dir', path.join(t.dir, 'bare', 'data'), 'kit', 'show', kit], { env: { PATH: process.env.PATH, HOME: t.dir }, encoding: 'utf8', timeout: 60_000 });
    expect([bare.status, bare.stderr]).toEqual([0, '']);
    expect(bare.stdout).toMatch(/\nteam +[0-9a-f]{16} +0 +imported\nThere is no Vaultdesk data dir at \S+bare\/data yet: kit import makes one and imports every profile\.\n$/);
    expect(existsSync(path.join(t.dir, 'bare'))).toBe(false);

    // The new machine: the same folder, a new data dir and master key.
    expect(vaultdesk('new', ['destination', 'add', 'local', '--name', 'disk', '--path', folder]).code).toBe(0);
    const [backup] = JSON.parse(vaultdesk('new', ['backup', 'list', '--json']).stdout) as BackupDto[];
    expect(backup).toMatchObject({ job: 'app-nightly', database: 'app', complete: true });
    mkdirSync(path.join(t.dir, 'restored'));
    expect(vaultdesk('new', ['source', 'add', 'sqlite', '--name', 'copy', '--path', path.join(t.dir, 'restored', 'app.db')]).code).toBe(0);
    const refused = vaultdesk('new', ['restore', backup!.id, '--target', 'copy']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('no encryption profile here holds the identity of its recipients');
    expect(refused.stderr).toContain(`Import the profile from your recovery kit (vaultdesk kit import KIT.zip, or Recovery in the app)`);

    const wrong = vaultdesk('new', ['kit', 'import', kit, '--passphrase-stdin'], 'not the passphrase\n');
    expect([wrong.code, wrong.stderr]).toEqual([1, `vaultdesk: error [DECRYPT_FAILED]: Wrong passphrase for the recovery kit ${kit}: it does not unwrap the identity of profile "team".\n`]);
    expect(JSON.parse(vaultdesk('new', ['profile', 'list', '--json']).stdout)).toEqual([]);

    const imported = vaultdesk('new', ['kit', 'import', kit, '--passphrase-stdin'], `${PASSPHRASE}\n`);
    expect([imported.code, imported.stderr]).toEqual([0, '']);
    expect(imported.stdout).toBe(`Imported profile "team" from the recovery kit ${kit}: the backups made with it restore, verify and drill here.\n`);
    expect(JSON.parse(vaultdesk('new', ['profile', 'list', '--json']).stdout)).toMatchObject([{ name: 'team', recipient, identityOnlyInVaultdesk: false }]);

    const verified = vaultdesk('new', ['backup', 'verify', backup!.id]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('The whole age payload authenticated with the identity of profile "team".');
    const restored = vaultdesk('new', ['restore', backup!.id, '--target', 'copy']);
    expect([restored.code, restored.stderr]).toEqual([0, '']);
    expect(rowsOf(path.join(t.dir, 'restored', 'app.db'))).toBe(40);

    const again = vaultdesk('new', ['kit', 'import', kit, '--passphrase-stdin', '--json'], `${PASSPHRASE}\n`);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ path: kit, passphraseProtected: true, created: [], present: [{ name: 'team', recipient, profile: 'team' }], clashes: [] });
  });

  it('a name taken here by another key: left out, said with the rename that frees it, exit 1; after the rename it imports', () => {
    const kit = path.join(t.dir, 'usb', 'kit.zip');
    const other = path.join(t.dir, 'other');
    const run = (args: string[], stdin = ''): { code: number | null; stdout: string; stderr: string } => {
      const r = spawnSync(process.execPath, [bin, '--data-dir', other, '--master-key-file', path.join(t.dir, 'other.key'), ...args], { input: stdin, env: { PATH: process.env.PATH, HOME: t.dir }, encoding: 'utf8', timeout: 60_000 });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const mine = run(['profile', 'create', '--name', 'team']).stdout.trim();
    // kit show reads it without the passphrase and says what an import would do.
    const shown = run(['kit', 'show', kit]);
    expect([shown.code, shown.stderr]).toEqual([0, '']);
    expect(shown.stdout).toMatch(
      /^Recovery kit \S+kit\.zip, exported \d{4}-\d\d-\d\d \d\d:\d\d UTC by Vaultdesk \S+, protected by a passphrase\.\nPROFILE +FINGERPRINT +EXTRA RECIPIENTS +ON IMPORT\nteam +[0-9a-f]{16} +0 +left out: profile "team" here has the name and another recipient\n$/,
    );
    const clash = run(['kit', 'import', kit, '--passphrase-stdin'], `${PASSPHRASE}\n`);
    expect(clash.code).toBe(1);
    expect(clash.stdout).toMatch(/^Imported nothing from the recovery kit \S+kit\.zip\.\nleft out: "team" of the kit \(age1\w+\): profile "team" here has that name and another recipient\. Rename it \(vaultdesk profile rename "team" NEW-NAME\), then import the kit again\.\n$/);
    expect(run(['profile', 'rename', 'team', 'team-here']).stdout).toBe('Renamed profile "team" to "team-here".\n');
    expect((JSON.parse(run(['kit', 'show', kit, '--json']).stdout) as KitContentsDto).profiles).toMatchObject([{ name: 'team', standing: 'new', profile: null }]);
    const after = run(['kit', 'import', kit, '--passphrase-stdin'], `${PASSPHRASE}\n`);
    expect(after.code).toBe(0);
    expect(run(['kit', 'show', kit]).stdout).toMatch(/\nteam +[0-9a-f]{16} +0 +already here, as profile "team"\n$/);
    const missing = run(['kit', 'show', path.join(t.dir, 'usb', 'gone.zip')]);
    expect([missing.code, missing.stderr]).toEqual([1, `vaultdesk: error [OBJECT_NOT_FOUND]: ${path.join(t.dir, 'usb', 'gone.zip')} does not exist.\n`]);
    expect((JSON.parse(run(['profile', 'list', '--json']).stdout) as { name: string; recipient: string }[]).map((p) => [p.name, p.recipient === mine])).toEqual([
      ['team', false],
      ['team-here', true],
    ]);
  });
});
