import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../core/testing/cli-runner';
import { probeCommand, shouldSkip } from '../core/testing/services';
import { tempDir } from '../core/testing/temp-dir';

const t = tempDir('vaultdesk-cli-');
afterAll(() => t.cleanup());
const dataDir = path.join(t.dir, 'data');
const keyFile = path.join(t.dir, 'master.key');

const vaultdesk = cliRunner(t.dir, { dataDir, keyFile });

describe('vaultdesk CLI', { timeout: 180_000 }, () => {
  it('adds sources, destinations, a profile and a job with the documented spellings', () => {
    const pg = vaultdesk(['source', 'add', 'postgres', '--name', 'shop', '--host', '127.0.0.1', '--port', '5432', '--user', 'backup', '--database', 'shop', '--password-stdin'], { stdin: 'cli-secret-pw\n' });
    expect(pg.stderr).toBe('');
    expect(pg.code).toBe(0);
    expect(vaultdesk(['source', 'add', 'mysql', '--name', 'crm', '--host', 'db2', '--user', 'u', '--database', 'crm', '--password-env', 'CRM_PW'], { env: { CRM_PW: 'env-secret' } }).code).toBe(0);
    expect(vaultdesk(['source', 'add', 'sqlite', '--name', 'app', '--path', path.join(t.dir, 'app.db')]).code).toBe(0);
    expect(vaultdesk(['destination', 'add', 'local', '--name', 'nas', '--path', path.join(t.dir, 'backups'), '--default']).code).toBe(0);
    expect(vaultdesk(['destination', 'add', 's3', '--name', 'offsite', '--bucket', 'backups', '--endpoint', 'http://127.0.0.1:9000', '--path-style', '--access-key-id', 'AK', '--secret-stdin', '--prefix', 'vd'], { stdin: 's3-secret' }).code).toBe(0);
    const recipient = vaultdesk(['profile', 'create', '--name', 'team']);
    expect(recipient.stdout.trim()).toMatch(/^age1[a-z0-9]{58}$/);
    const job = vaultdesk(['job', 'add', '--name', 'shop-nightly', '--source', 'shop', '--destination', 'nas', '--destination', 'offsite', '--compression', 'gzip', '--encryption', 'team', '--schedule', '0 3 * * *', '--timezone', 'Europe/Paris']);
    expect(job.stdout).toMatch(/At 03:00 \(Europe\/Paris\); next: \w{3} \d{1,2} \w{3} 03:00, /);
    expect(job.stderr).toContain('note: schedules run while the Vaultdesk app or vaultdesk daemon is open on this data dir; neither is now.');
    expect(job.stdout).toContain('Added job "shop-nightly"');
  });

  it('prints JSON on reads, with secrets as flags only', () => {
    const sources = JSON.parse(vaultdesk(['source', 'list', '--json']).stdout) as { name: string; hasPassword: boolean }[];
    expect(sources.map((s) => [s.name, s.hasPassword])).toEqual([['app', false], ['crm', true], ['shop', true]]);
    const jobs = JSON.parse(vaultdesk(['job', 'list', '--json']).stdout) as { name: string; destinationNames: string[]; encryption: string }[];
    expect(jobs).toMatchObject([{ name: 'shop-nightly', destinationNames: ['nas', 'offsite'], encryption: 'age' }]);
    const dests = JSON.parse(vaultdesk(['destination', 'list', '--json']).stdout) as { name: string; jobNames: string[]; isDefault: boolean }[];
    expect(dests.find((d) => d.name === 'nas')).toMatchObject({ jobNames: ['shop-nightly'], isDefault: true });
    const everything = ['source list', 'destination list', 'profile list', 'job list'].map((c) => vaultdesk([...c.split(' '), '--json']).stdout).join('');
    for (const secret of ['cli-secret-pw', 'env-secret', 's3-secret', 'AGE-SECRET-KEY']) expect(everything).not.toContain(secret);
    const db = readFileSync(path.join(dataDir, 'vaultdesk.db'));
    const wal = existsSync(path.join(dataDir, 'vaultdesk.db-wal')) ? readFileSync(path.join(dataDir, 'vaultdesk.db-wal')) : Buffer.alloc(0);
    expect(Buffer.concat([db, wal]).includes(Buffer.from('cli-secret-pw'))).toBe(false);
  });

  it('reports errors on stderr with the code and a non-zero exit', () => {
    const inUse = vaultdesk(['destination', 'remove', 'nas']);
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toMatch(/error \[DESTINATION_IN_USE\].*"shop-nightly"/);
    const invalid = vaultdesk(['destination', 'add', 'local', '--name', 'ab', '--path', '/tmp/x']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('[VALIDATION_FAILED]');
    const json = vaultdesk(['source', 'show', 'nope', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const usage = vaultdesk(['source', 'frobnicate']);
    expect(usage.code).toBe(2);
  });

  it('profile remove keeps an identity never saved outside Vaultdesk unless --discard-identity; a saved one goes at once', () => {
    expect(vaultdesk(['profile', 'create', '--name', 'only-here']).code).toBe(0);
    const refused = vaultdesk(['profile', 'remove', 'only-here']);
    expect([refused.code, refused.stderr]).toEqual([
      2,
      'vaultdesk: error [VALIDATION_FAILED]: The identity of profile "only-here" was never saved outside Vaultdesk: removing the profile would leave every backup encrypted to it impossible to decrypt. Save it first (vaultdesk profile export-identity "only-here" -o FILE, or vaultdesk kit export), or add --discard-identity if those backups may be lost.\n',
    ]);
    expect(vaultdesk(['profile', 'list']).stdout).toContain('only-here');
    expect(vaultdesk(['profile', 'remove', 'only-here', '--discard-identity']).stdout).toBe('Removed profile "only-here".\n');

    expect(vaultdesk(['profile', 'create', '--name', 'saved']).code).toBe(0);
    expect(vaultdesk(['profile', 'export-identity', 'saved', '-o', path.join(t.dir, 'saved-identity.txt')]).code).toBe(0);
    expect(vaultdesk(['profile', 'remove', 'saved']).stdout).toBe('Removed profile "saved".\n');
    expect(vaultdesk(['profile', 'list']).stdout).not.toMatch(/^(only-here|saved) /m);
  });

  it('settings tool-path sets where 7-Zip is, and settings tools says where each tool is now, or why it cannot be used', () => {
    const gone = path.join(t.dir, 'no-such', '7zz');
    expect(vaultdesk(['settings', 'tool-path', '7z', gone]).stdout).toBe(`7z is ${gone}.\n`);
    const table = vaultdesk(['settings', 'tools']);
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^TOOL\s+PATH\s+VERSION$/);
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(['TOOL', 'pg_dump', 'pg_dumpall', 'pg_restore', 'psql', 'mysqldump', 'mysql', '7z']);
    expect(lines.at(-1)).toContain(`${gone} (set with tool-path)  not usable: 7-Zip was not found at ${gone} (the path set in Settings).`);
    const json = JSON.parse(vaultdesk(['settings', 'tools', '--json']).stdout) as { tool: string; configured: string | null; error: string | null }[];
    expect(json.find((s) => s.tool === '7z')).toMatchObject({ configured: gone, error: expect.stringContaining(gone) });
    expect(vaultdesk(['settings', 'tool-path', '7z', '--clear']).stdout).toBe('7z will be searched for.\n');
    expect(JSON.parse(vaultdesk(['settings', 'tools', '--json']).stdout).find((s: { tool: string }) => s.tool === '7z').configured).toBeNull();
  });

  it('refuses a job whose environment may not use the destination', () => {
    expect(vaultdesk(['env', 'add', '--name', 'production', '--allow', 'offsite']).code).toBe(0);
    expect(vaultdesk(['source', 'add', 'sqlite', '--name', 'prod-app', '--path', '/data/prod.db', '--environment', 'production']).code).toBe(0);
    const refused = vaultdesk(['job', 'add', '--name', 'prod-app-nightly', '--source', 'prod-app', '--destination', 'nas']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('[DESTINATION_NOT_ALLOWED]');
    expect(vaultdesk(['job', 'show', 'prod-app-nightly']).code).toBe(1);
  });

  it('exports, rotates and imports the master key', () => {
    const exported = vaultdesk(['key', 'export']);
    expect(exported.stdout.trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(exported.stderr).toMatch(/^fingerprint [0-9a-f:]{47}\n$/);
    const out = path.join(t.dir, 'exported.key');
    expect(vaultdesk(['key', 'export', '--out', out]).code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    // A host that lost the key file: the store opens, secrets are refused until the key is imported.
    const lostKey = path.join(t.dir, 'lost.key');
    const status = JSON.parse(vaultdesk(['key', 'status', '--json'], { key: lostKey }).stdout) as { state: string };
    expect(status.state).toBe('missing');
    const refused = vaultdesk(['source', 'set-password', 'shop', '--password-env', 'P'], { key: lostKey, env: { P: 'x' } });
    expect(refused.stderr).toContain('[MASTER_KEY_MISSING]');
    expect(vaultdesk(['key', 'import', '--file', out], { key: lostKey }).code).toBe(0);
    expect(JSON.parse(vaultdesk(['key', 'status', '--json'], { key: lostKey }).stdout)).toMatchObject({ state: 'ok' });
    const rotated = vaultdesk(['key', 'rotate', '--json'], { key: lostKey });
    expect(JSON.parse(rotated.stdout)).toMatchObject({ secretsReencrypted: 4 });
    // The old key no longer opens the store's secrets.
    expect(JSON.parse(vaultdesk(['key', 'status', '--json']).stdout)).toMatchObject({ state: 'mismatch' });
  });
});

describe('vaultdesk key reset and import', { timeout: 180_000 }, () => {
  const dir = path.join(t.dir, 'reset');
  const tmp = path.join(dir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const key = path.join(dir, 'master.key');
  const cli = cliRunner(t.dir, { dataDir: path.join(dir, 'data'), keyFile: key });
  const status = (k = key): { state: string; fingerprint: string | null } => JSON.parse(cli(['key', 'status', '--json'], { key: k }).stdout) as { state: string; fingerprint: string | null };
  const hasPassword = (): boolean => (JSON.parse(cli(['source', 'show', 'ledger', '--json']).stdout) as { hasPassword: boolean }).hasPassword;

  it('refuses a reset without --yes, and a reset with it drops every secret under a new key', () => {
    expect(cli(['source', 'add', 'postgres', '--name', 'ledger', '--host', '127.0.0.1', '--user', 'u', '--database', 'ledger', '--password-stdin'], { stdin: 'ledger-pw' }).code).toBe(0);
    expect(cli(['profile', 'create', '--name', 'team']).code).toBe(0);
    const before = status();
    const unconfirmed = cli(['key', 'reset']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain("required option '--yes' not specified");
    expect(status()).toEqual(before);
    expect(hasPassword()).toBe(true);

    const reset = cli(['key', 'reset', '--yes']);
    expect(reset.stderr).toBe('');
    expect(reset.stdout).toMatch(/^New master key [0-9a-f:]{47}; 2 stored secrets were dropped\. Re-enter the credentials of your sources and destinations\.\n$/);
    const after = status();
    expect(after.state).toBe('ok');
    expect(after.fingerprint).not.toBe(before.fingerprint);
    expect(reset.stdout).toContain(after.fingerprint);
    expect(hasPassword()).toBe(false);
    expect(cli(['profile', 'show', 'team']).stdout).toMatch(/secret\s+missing \(key was reset\)/);
  });

  it('imports an exported key into a host that lost it, from a file or stdin, and refuses a key of another data dir', () => {
    const exported = path.join(dir, 'exported.key');
    const fingerprint = status().fingerprint;
    expect(cli(['key', 'export', '--out', exported]).code).toBe(0);
    // Printing the key goes through a private file that is removed at once.
    const printed = cli(['key', 'export', '--json'], { env: { TMPDIR: tmp } });
    expect(JSON.parse(printed.stdout)).toEqual({ key: readFileSync(exported, 'utf8').trim(), fingerprint });
    expect(readdirSync(tmp).filter((f) => f.startsWith('vaultdesk-key-'))).toEqual([]);

    const lost = path.join(dir, 'lost.key');
    expect(status(lost).state).toBe('missing');
    const viaStdin = cli(['key', 'import'], { key: lost, stdin: readFileSync(exported, 'utf8') });
    // The host starts with a missing key and says so in its log; the key itself appears nowhere.
    expect(viaStdin.code).toBe(0);
    expect(viaStdin.stderr).not.toContain(readFileSync(exported, 'utf8').trim());
    expect(viaStdin.stdout).toBe(`Imported the master key (fingerprint ${fingerprint}).\n`);
    expect(readFileSync(lost, 'utf8')).toBe(readFileSync(exported, 'utf8'));
    expect(status(lost)).toMatchObject({ state: 'ok', fingerprint });
    // The store's secrets open with the imported key: a new password is sealed and reported stored.
    expect(cli(['source', 'set-password', 'ledger', '--password-stdin'], { key: lost, stdin: 'new-pw' }).code).toBe(0);
    expect(cli(['key', 'import', '--file', exported], { key: lost }).code).toBe(0);

    const foreignDir = path.join(dir, 'foreign');
    const foreignKey = path.join(dir, 'foreign.key');
    expect(cliRunner(t.dir, { dataDir: foreignDir, keyFile: foreignKey })(['key', 'status']).code).toBe(0);
    const refused = cli(['key', 'import', '--file', foreignKey], { key: lost });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^vaultdesk: error \[MASTER_KEY_MISMATCH\]: The key [0-9a-f:]{47} does not match this database; nothing was changed\.\n$/);
    expect(status(lost)).toMatchObject({ state: 'ok', fingerprint });
    expect(readFileSync(lost, 'utf8')).toBe(readFileSync(exported, 'utf8'));

    const notAKey = cli(['key', 'import'], { key: lost, stdin: 'hunter2\n' });
    expect(notAKey.code).toBe(2);
    expect(notAKey.stderr).toContain('[VALIDATION_FAILED]: Invalid input: key: must be a master key: the base64 of 32 bytes, as an exported key file holds it');
    expect(notAKey.stderr).not.toContain('hunter2');
    const noFile = cli(['key', 'import', '--file', path.join(dir, 'nope.key')], { key: lost });
    expect(noFile.stderr).toBe(`vaultdesk: error [VALIDATION_FAILED]: Cannot read the key file ${path.join(dir, 'nope.key')}: ${path.join(dir, 'nope.key')} does not exist.\n`);
  });
});

const noAge = shouldSkip('age CLI', probeCommand('age', ['--version']));

describe.skipIf(noAge)('vaultdesk profile export-identity', { timeout: 180_000 }, () => {
  const dir = path.join(t.dir, 'identity');
  const cli = cliRunner(t.dir, { dataDir: path.join(dir, 'data'), keyFile: path.join(dir, 'master.key') });

  it('writes an identity (mode 0600) that decrypts the profile\'s backups with the age tool', () => {
    mkdirSync(dir, { recursive: true });
    const source = path.join(dir, 'shop.db');
    const db = new Database(source);
    db.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO items (name) VALUES ('anvil'), ('rope'), ('lamp');");
    db.close();
    expect(cli(['source', 'add', 'sqlite', '--name', 'shop', '--path', source]).code).toBe(0);
    expect(cli(['destination', 'add', 'local', '--name', 'disk', '--path', path.join(dir, 'backups')]).code).toBe(0);
    const recipient = cli(['profile', 'create', '--name', 'team']).stdout.trim();
    expect(cli(['job', 'add', '--name', 'shop-backup', '--source', 'shop', '--destination', 'disk', '--compression', 'none', '--encryption', 'team']).code).toBe(0);
    const run = cli(['backup', 'run', 'shop-backup', '--json']);
    expect(run.code).toBe(0);
    const stored = (JSON.parse(run.stdout) as { status: string; objects: { destinations: { location: string }[] }[] }).objects[0]!.destinations[0]!.location;
    expect(readFileSync(stored).subarray(0, 21).toString()).toBe('age-encryption.org/v1');

    const identity = path.join(dir, 'team.txt');
    const exported = cli(['profile', 'export-identity', 'team', '-o', identity]);
    expect(exported.stderr).toBe('');
    expect(exported.stdout).toBe(`Wrote the identity of profile "team" (recipient ${recipient}) to ${identity}. Keep it apart from the backups: it decrypts every one of them.\n`);
    expect(statSync(identity).mode & 0o777).toBe(0o600);
    const restored = path.join(dir, 'restored.db');
    execFileSync('age', ['-d', '-i', identity, '-o', restored, stored]);
    const copy = new Database(restored, { readonly: true });
    expect(copy.prepare('SELECT name FROM items ORDER BY id').pluck().all()).toEqual(['anvil', 'rope', 'lamp']);
    copy.close();

    // Never over an existing file (a second export, a typo onto something else): refused, the first kept.
    const again = cli(['profile', 'export-identity', 'team', '--out', identity]);
    expect([again.code, again.stderr]).toEqual([2, `vaultdesk: error [VALIDATION_FAILED]: ${identity} already exists: choose another path, or remove it first. Nothing was written.\n`]);
    expect(readFileSync(identity, 'utf8')).toContain(recipient);
    const second = path.join(dir, 'team-2.txt');
    expect(JSON.parse(cli(['profile', 'export-identity', 'team', '--out', second, '--json']).stdout)).toEqual({ path: second, kind: 'age', recipient });
    const toFolder = cli(['profile', 'export-identity', 'team', '-o', `${dir}/keys/`]);
    expect([toFolder.code, toFolder.stderr]).toEqual([2, `vaultdesk: error [VALIDATION_FAILED]: -o ${dir}/keys/ names a folder: give the name of the file to write (${dir}/keys/NAME).\n`]);
    expect(existsSync(path.join(dir, 'keys'))).toBe(false);
    const seven = cli(['profile', 'create', '--name', 'zip', '--kind', '7z']);
    expect(seven.code).toBe(0);
    // A 7-Zip job's dump is compressed by 7-Zip in its archive, not by the job's zstd: job show says so.
    // 7-Zip compresses in its archive: a compression asked for beside it would never be used.
    const refused = cli(['job', 'add', '--name', 'shop-zip', '--source', 'shop', '--destination', 'disk', '--encryption', 'zip', '--compression', 'gzip']);
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining('error [VALIDATION_FAILED]: A job encrypted with 7-Zip is compressed by 7-Zip inside its archive: --compression applies only with age or no encryption.')]);
    const added = cli(['job', 'add', '--name', 'shop-zip', '--source', 'shop', '--destination', 'disk', '--encryption', 'zip']);
    expect([added.code, added.stdout]).toEqual([0, 'Added job "shop-zip": shop -> disk, 7-Zip\'s compression, 7z (zip), manual.\n']);
    expect(cli(['job', 'update', 'shop-zip', '--level', '9']).stderr).toContain('--level applies only with age or no encryption');
    expect(cli(['job', 'show', 'shop-zip']).stdout).toContain("7-Zip's own, in the archive (zstd applies with age or no encryption)");
    // Its generated passphrase, saved to a file, opens the job's backup with 7-Zip alone.
    const zipRun = JSON.parse(cli(['backup', 'run', 'shop-zip', '--json']).stdout) as { objects: { destinations: { location: string }[] }[] };
    const archive = zipRun.objects[0]!.destinations[0]!.location;
    const passphraseFile = path.join(dir, 'zip.txt');
    const saved = cli(['profile', 'export-identity', 'zip', '-o', passphraseFile]);
    expect([saved.code, saved.stderr]).toEqual([0, '']);
    expect(saved.stdout).toBe(`Wrote the passphrase of 7-Zip profile "zip" to ${passphraseFile} (its last line; the lines above say how to open a backup with 7-Zip). Keep it apart from the backups: it opens every one of them.\n`);
    expect(statSync(passphraseFile).mode & 0o777).toBe(0o600);
    const passphrase = readFileSync(passphraseFile, 'utf8').trimEnd().split('\n').at(-1)!;
    const unzipped = path.join(dir, 'unzipped');
    execFileSync('7zz', ['x', `-p${passphrase}`, `-o${unzipped}`, archive], { stdio: 'pipe' });
    const opened = new Database(path.join(unzipped, path.basename(archive, '.7z')), { readonly: true });
    expect(opened.prepare('SELECT name FROM items ORDER BY id').pluck().all()).toEqual(['anvil', 'rope', 'lamp']);
    opened.close();
    expect(JSON.parse(cli(['profile', 'export-identity', 'zip', '-o', path.join(dir, 'zip-2.txt'), '--json']).stdout)).toEqual({ path: path.join(dir, 'zip-2.txt'), kind: '7z', recipient: null });
    const missing = cli(['profile', 'export-identity', 'team']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '-o, --out <file>' not specified");
  });
});
