import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { BackupDto } from '../../shared/domain/backups';
import type { KitContentsDto } from '../../shared/domain/recovery';
import type { RunDto } from '../../shared/domain/runs';
import { cliRunner, type CliResult } from '../core/testing/cli-runner';
import { seedSqliteFile } from '../core/testing/db-fixtures';
import { probeCommand, shouldSkip } from '../core/testing/services';
import { tempDir } from '../core/testing/temp-dir';

const t = tempDir('vaultdesk-kit-import-cli-');
afterAll(() => t.cleanup());
const PASSPHRASE = 'the kit passphrase, kept apart';

/** `install` names a data dir and its own master key: 'old' made the backups, 'new' is the machine rebuilt. */
function vaultdesk(install: 'old' | 'new' | 'old-7z' | 'new-7z', args: string[], stdin = ''): CliResult {
  return cliRunner(t.dir, { dataDir: path.join(t.dir, install, 'data'), keyFile: path.join(t.dir, `${install}.key`) })(args, { stdin });
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
    const bare = cliRunner(t.dir, { dataDir: path.join(t.dir, 'bare', 'data'), keyFile: null })(['kit', 'show', kit]);
    expect([bare.code, bare.stderr]).toEqual([0, '']);
    expect(bare.stdout).toMatch(/\nteam +age +[0-9a-f]{16} +0 +imported\nThere is no Vaultdesk data dir at \S+bare\/data yet: kit import makes one and imports every profile\.\n$/);
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
    expect(JSON.parse(again.stdout)).toEqual({ path: kit, passphraseProtected: true, created: [], present: [{ name: 'team', kind: 'age', recipient, profile: 'team' }], clashes: [] });
  });

  it('a name taken here by another key: left out, said with the rename that frees it, exit 1; after the rename it imports', () => {
    const kit = path.join(t.dir, 'usb', 'kit.zip');
    const other = cliRunner(t.dir, { dataDir: path.join(t.dir, 'other'), keyFile: path.join(t.dir, 'other.key') });
    const run = (args: string[], stdin = ''): CliResult => other(args, { stdin });
    const mine = run(['profile', 'create', '--name', 'team']).stdout.trim();
    // kit show reads it without the passphrase and says what an import would do.
    const shown = run(['kit', 'show', kit]);
    expect([shown.code, shown.stderr]).toEqual([0, '']);
    expect(shown.stdout).toMatch(
      /^Recovery kit \S+kit\.zip, exported \d{4}-\d\d-\d\d \d\d:\d\d UTC by Vaultdesk \S+, protected by a passphrase\.\nPROFILE +KIND +FINGERPRINT +EXTRA RECIPIENTS +ON IMPORT\nteam +age +[0-9a-f]{16} +0 +left out: profile "team" here has the name and another recipient\n$/,
    );
    const clash = run(['kit', 'import', kit, '--passphrase-stdin'], `${PASSPHRASE}\n`);
    expect(clash.code).toBe(1);
    expect(clash.stdout).toMatch(/^Imported nothing from the recovery kit \S+kit\.zip\.\nleft out: "team" of the kit \(age1\w+\): profile "team" here has that name and another recipient\. Rename it \(vaultdesk profile rename "team" NEW-NAME\), then import the kit again\.\n$/);
    expect(run(['profile', 'rename', 'team', 'team-here']).stdout).toBe('Renamed profile "team" to "team-here".\n');
    expect((JSON.parse(run(['kit', 'show', kit, '--json']).stdout) as KitContentsDto).profiles).toMatchObject([{ name: 'team', standing: 'new', profile: null }]);
    const after = run(['kit', 'import', kit, '--passphrase-stdin'], `${PASSPHRASE}\n`);
    expect(after.code).toBe(0);
    expect(run(['kit', 'show', kit]).stdout).toMatch(/\nteam +age +[0-9a-f]{16} +0 +already here, as profile "team"\n$/);
    const missing = run(['kit', 'show', path.join(t.dir, 'usb', 'gone.zip')]);
    expect([missing.code, missing.stderr]).toEqual([1, `vaultdesk: error [OBJECT_NOT_FOUND]: ${path.join(t.dir, 'usb', 'gone.zip')} does not exist.\n`]);
    expect((JSON.parse(run(['profile', 'list', '--json']).stdout) as { name: string; recipient: string }[]).map((p) => [p.name, p.recipient === mine])).toEqual([
      ['team', false],
      ['team-here', true],
    ]);
  });

  it.skipIf(shouldSkip('7-Zip (7zz)', probeCommand('7zz', ['i'])))('a 7-Zip job: the kit holds its passphrase, decrypt -i KIT opens its backup, and kit import makes the profile a restore uses', () => {
    const folder = path.join(t.dir, 'backups-7z');
    seedSqliteFile(path.join(t.dir, 'app7.db'), 25);
    expect(vaultdesk('old-7z', ['source', 'add', 'sqlite', '--name', 'app', '--path', path.join(t.dir, 'app7.db')]).code).toBe(0);
    expect(vaultdesk('old-7z', ['destination', 'add', 'local', '--name', 'disk', '--path', folder]).code).toBe(0);
    expect(vaultdesk('old-7z', ['profile', 'create', '--name', 'nightly', '--kind', '7z', '--passphrase-stdin'], 'the nightly 7-Zip passphrase\n').code).toBe(0);
    expect(vaultdesk('old-7z', ['profile', 'create', '--name', 'spare', '--kind', '7z', '--passphrase-stdin'], 'a spare 7-Zip passphrase\n').code).toBe(0);
    expect(vaultdesk('old-7z', ['profile', 'create', '--name', 'team']).code).toBe(0);
    expect(vaultdesk('old-7z', ['job', 'add', '--name', 'app-7z', '--source', 'app', '--destination', 'disk', '--encryption', 'nightly']).code).toBe(0);
    const run = JSON.parse(vaultdesk('old-7z', ['backup', 'run', 'app-7z', '--json']).stdout) as RunDto;
    expect(run.status).toBe('succeeded');
    const stored = run.objects[0]!.destinations[0]!.location!;
    expect(stored).toMatch(/\.sqlite\.7z$/);

    const kit = path.join(t.dir, 'usb-7z', 'kit.zip');
    const exported = vaultdesk('old-7z', ['kit', 'export', '-o', kit, '--passphrase-stdin'], `${PASSPHRASE}\n`);
    expect([exported.code, exported.stderr]).toEqual([0, '']);
    expect(exported.stdout).toMatch(
      /^Wrote the recovery kit \S+kit\.zip with the identity of "team" and the 7-Zip passphrases of "nightly", "spare", each protected by the passphrase; it opened a test file for each identity and a test archive made by \S+7zz with each 7-Zip passphrase before it was written\.\n/,
    );
    expect(execFileSync('unzip', ['-Z1', kit], { encoding: 'utf8' }).trim().split('\n')).toEqual(['README.txt', 'keys.json', 'passphrases/nightly.age', 'passphrases/spare.age', 'identities/team.age']);
    expect(JSON.parse(vaultdesk('old-7z', ['profile', 'list', '--json']).stdout)).toMatchObject([{ name: 'nightly', identityOnlyInVaultdesk: false }, { name: 'spare', identityOnlyInVaultdesk: false }, { name: 'team', identityOnlyInVaultdesk: false }]);
    const spareKit = path.join(t.dir, 'usb-7z', 'spare.zip');
    expect(vaultdesk('old-7z', ['kit', 'export', '--profile', 'spare', '-o', spareKit]).code).toBe(0);

    // The machine is gone: the backup file and the kit are all there is.
    const bare = cliRunner(t.dir, { dataDir: null, keyFile: null });
    const decrypt = (args: string[], stdin = ''): CliResult => bare(['decrypt', ...args], { stdin });
    const out = path.join(t.dir, 'out-7z');
    mkdirSync(out);
    const wrong = decrypt([stored, '-i', kit, '--passphrase-stdin', '-o', path.join(out, 'app.sqlite')], 'not the kit passphrase\n');
    expect([wrong.code, wrong.stderr]).toEqual([6, `vaultdesk: error [DECRYPT_FAILED]: Wrong passphrase for the recovery kit ${kit}: it does not unwrap the passphrase of 7-Zip profile "nightly".\n`]);
    const noMatch = decrypt([stored, '-i', spareKit, '-o', path.join(out, 'app.sqlite')]);
    expect([noMatch.code, noMatch.stderr]).toEqual([
      5,
      `vaultdesk: error [DECRYPT_FAILED]: No 7-Zip passphrase in the recovery kit ${spareKit} opens ${stored} (tried 7-Zip profile "spare"). It was made with a 7-Zip profile this kit does not hold: use a kit of that profile, or give its passphrase alone. The file matches its manifest, so it is not damaged.\n`,
    ]);
    expect(readdirSync(out)).toEqual([]);
    const opened = decrypt([stored, '-i', kit, '--passphrase-stdin', '-o', path.join(out, 'app.sqlite')], `${PASSPHRASE}\n`);
    expect([opened.code, opened.stderr]).toEqual([0, expect.stringMatching(new RegExp(`^Decrypted \\d+ bytes into \\d+ with 7-Zip profile "nightly" of recovery kit ${kit.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}; sha256 matches the manifest\\.\\n$`))]);
    expect(rowsOf(path.join(out, 'app.sqlite'))).toBe(25);

    // kit show names each profile's kind, before any data dir exists.
    const shown = vaultdesk('new-7z', ['kit', 'show', kit]);
    expect(shown.stdout).toMatch(/\nPROFILE +KIND +FINGERPRINT +EXTRA RECIPIENTS +ON IMPORT\nnightly +7z +- +- +imported\nspare +7z +- +- +imported\nteam +age +[0-9a-f]{16} +0 +imported\nThere is no Vaultdesk data dir/);
    expect(vaultdesk('new-7z', ['destination', 'add', 'local', '--name', 'disk', '--path', folder]).code).toBe(0);
    const [backup] = JSON.parse(vaultdesk('new-7z', ['backup', 'list', '--json']).stdout) as BackupDto[];
    mkdirSync(path.join(t.dir, 'restored-7z'));
    expect(vaultdesk('new-7z', ['source', 'add', 'sqlite', '--name', 'copy', '--path', path.join(t.dir, 'restored-7z', 'app.db')]).code).toBe(0);
    expect(vaultdesk('new-7z', ['restore', backup!.id, '--target', 'copy']).stderr).toContain('is a 7-Zip archive and no 7-Zip encryption profile here holds a passphrase');

    const imported = vaultdesk('new-7z', ['kit', 'import', kit, '--profile', 'nightly', '--passphrase-stdin'], `${PASSPHRASE}\n`);
    expect([imported.code, imported.stderr, imported.stdout]).toEqual([0, '', `Imported profile "nightly" from the recovery kit ${kit}: the backups made with it restore, verify and drill here.\n`]);
    expect(JSON.parse(vaultdesk('new-7z', ['profile', 'list', '--json']).stdout)).toMatchObject([{ name: 'nightly', kind: '7z', hasSecret: true, identityOnlyInVaultdesk: false }]);
    const restored = vaultdesk('new-7z', ['restore', backup!.id, '--target', 'copy']);
    expect([restored.code, restored.stderr]).toEqual([0, '']);
    expect(rowsOf(path.join(t.dir, 'restored-7z', 'app.db'))).toBe(25);

    // Here already: the same passphrase, whatever its name; the rest is made.
    expect(vaultdesk('new-7z', ['profile', 'rename', 'nightly', 'nightly-here']).code).toBe(0);
    const again = vaultdesk('new-7z', ['kit', 'import', kit, '--passphrase-stdin', '--json'], `${PASSPHRASE}\n`);
    expect(again.code).toBe(0);
    const result = JSON.parse(again.stdout) as { created: { name: string; kind: string }[]; present: unknown[]; clashes: unknown[] };
    expect(result.created.map((p) => [p.name, p.kind])).toEqual([
      ['team', 'age'],
      ['spare', '7z'],
    ]);
    expect(result.present).toEqual([{ name: 'nightly', kind: '7z', recipient: null, profile: 'nightly-here' }]);
    expect(result.clashes).toEqual([]);
  });
});

