import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner, type CliResult, VAULTDESK_BIN } from '../core/testing/cli-runner';
import { probeCommand, shouldSkip } from '../core/testing/services';
import { tempDir } from '../core/testing/temp-dir';
import { toolWrapper } from '../core/testing/tool-wrapper';
import { waitFor } from '../core/sources/source-test-helpers';

const skip = shouldSkip('age, zstd and unzip CLIs', probeCommand('age') ?? probeCommand('zstd') ?? probeCommand('unzip', ['-v']));
const KIT_PASSPHRASE = 'kit passphrase from stdin';
const no7zz = shouldSkip('7zz CLI', probeCommand('7zz', []));

describe.skipIf(skip)('vaultdesk kit export and vaultdesk decrypt', { timeout: 180_000 }, () => {
  const t = tempDir('vaultdesk-kit-cli-');
  afterAll(() => t.cleanup());
  const dataDir = path.join(t.dir, 'data');
  const home = path.join(t.dir, 'home-never-made');

  const vaultdesk = cliRunner(home, { dataDir, keyFile: path.join(t.dir, 'master.key') });
  /** `vaultdesk decrypt` as a DBA runs it after a reinstall: no data dir, no key, no keychain. */
  const bare = cliRunner(home, { dataDir: null, keyFile: null });
  const decrypt = (args: string[], stdin?: string, env?: Record<string, string>): CliResult => bare(['decrypt', ...args], { stdin, env });

  let teamRecipient = '';
  const kit = path.join(t.dir, 'kits', 'kit.zip');
  const plainKit = path.join(t.dir, 'kits', 'plain-kit.zip');
  const otherKit = path.join(t.dir, 'kits', 'other-kit.zip');
  const made = path.join(t.dir, 'made');
  // Random text, so the encrypted file spans several 64 KiB chunks and a flipped byte early on is in a middle one.
  const dump = Buffer.from(Array.from({ length: 4_000 }, (_, i) => `INSERT INTO orders VALUES (${i}, 'café ☕ ${randomBytes(48).toString('base64')}');\n`).join(''));
  let backup = '';

  beforeAll(() => {
    teamRecipient = vaultdesk(['profile', 'create', '--name', 'team']).stdout.trim();
    expect(vaultdesk(['profile', 'create', '--name', 'other']).stdout.trim()).toMatch(/^age1/);
    expect(teamRecipient).toMatch(/^age1/);
    mkdirSync(made);
    writeFileSync(path.join(made, 'dump.sql'), dump);
    backup = path.join(made, 'shop.sql.zst.age');
    execFileSync('sh', ['-c', 'zstd -q -c dump.sql | age -r "$1" -o "$2"', 'sh', teamRecipient, backup], { cwd: made });
  });

  it('kit export: a 0600 zip, proven, passphrase from stdin, and the profiles no longer only in Vaultdesk', () => {
    const before = JSON.parse(vaultdesk(['profile', 'list', '--json']).stdout) as { name: string; identityOnlyInVaultdesk: boolean }[];
    expect(before.every((p) => p.identityOnlyInVaultdesk)).toBe(true);
    const r = vaultdesk(['kit', 'export', '-o', kit, '--passphrase-stdin'], { stdin: `${KIT_PASSPHRASE}\n` });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `Wrote the recovery kit ${kit} with the identities of "other", "team", each protected by the passphrase; it opened a test file for each before it was written.\nKeep it offline and apart from the backups, and the passphrase apart from it: README.txt inside says how to decrypt a backup with it.\n`,
    );
    expect(statSync(kit).mode & 0o777).toBe(0o600);
    expect(execFileSync('unzip', ['-Z1', kit], { encoding: 'utf8' }).trim().split('\n')).toEqual(['README.txt', 'keys.json', 'identities/other.age', 'identities/team.age']);
    const after = JSON.parse(vaultdesk(['profile', 'list', '--json']).stdout) as { name: string; identityOnlyInVaultdesk: boolean }[];
    expect(after.map((p) => [p.name, p.identityOnlyInVaultdesk])).toEqual([
      ['other', false],
      ['team', false],
    ]);
    const json = vaultdesk(['kit', 'export', '--profile', 'team', '-o', plainKit, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ path: plainKit, passphraseProtected: false, profiles: [{ name: 'team', recipient: teamRecipient }], skipped: [] });
    expect(vaultdesk(['kit', 'export', '--profile', 'other', '-o', otherKit]).code).toBe(0);
    // A second kit is never written over the first (a kit of fewer profiles would replace the full one).
    const kitBytes = readFileSync(plainKit);
    const over = vaultdesk(['kit', 'export', '--profile', 'other', '-o', plainKit]);
    expect([over.code, over.stderr]).toEqual([2, `vaultdesk: error [VALIDATION_FAILED]: ${plainKit} already exists: choose another path, or remove it first. Nothing was written.\n`]);
    expect(readFileSync(plainKit).equals(kitBytes)).toBe(true);
    const missing = vaultdesk(['kit', 'export', '--profile', 'nobody', '-o', path.join(t.dir, 'kits', 'x.zip')]);
    expect(missing).toMatchObject({ code: 1, stderr: 'vaultdesk: error [NOT_FOUND]: No encryption profile named "nobody".\n' });
  });

  it('decrypt -i KIT --passphrase-stdin: no data dir, the identity picked and named, the output complete', () => {
    const out = path.join(mkdtempSync(path.join(t.dir, 'out-')), 'shop.sql');
    const r = decrypt([backup, '-i', kit, '--passphrase-stdin', '-o', out], `${KIT_PASSPHRASE}\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`Decrypted ${statSync(backup).size} bytes into ${dump.length} (zstd decompressed) with profile "team" of recovery kit ${kit}; no manifest beside the file, so only age's own authentication was checked.\n`);
    expect(readFileSync(out).equals(dump)).toBe(true);
    // Never over a file, the backup itself included; and out/ names a folder, not the file to write.
    const onto = decrypt([backup, '-i', kit, '--passphrase-stdin', '-o', backup], `${KIT_PASSPHRASE}\n`);
    expect([onto.code, onto.stderr]).toEqual([2, `vaultdesk: error [VALIDATION_FAILED]: ${backup} already exists: choose another path, or remove it first. Nothing was decrypted.\n`]);
    expect(readFileSync(backup).subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    const intoFolder = decrypt([backup, '-i', kit, '--passphrase-stdin', '-o', `${path.dirname(out)}/more/`], `${KIT_PASSPHRASE}\n`);
    expect([intoFolder.code, intoFolder.stderr]).toEqual([2, `vaultdesk: error [VALIDATION_FAILED]: -o ${path.dirname(out)}/more/ names a folder: give the name of the file to write (${path.dirname(out)}/more/NAME).\n`]);
    const fromEnv = path.join(path.dirname(out), 'env.sql');
    const byEnv = decrypt([backup, '-i', kit, '--passphrase-env', 'KIT_PW', '-o', fromEnv], undefined, { KIT_PW: KIT_PASSPHRASE });
    expect(byEnv.code, byEnv.stderr).toBe(0);
    expect(readFileSync(fromEnv).equals(dump)).toBe(true);
    const plain = path.join(path.dirname(out), 'plain.sql');
    expect(decrypt([backup, '-i', plainKit, '-o', plain]).code).toBe(0);
    expect(readFileSync(plain).equals(dump)).toBe(true);
    expect(existsSync(home)).toBe(false);
    expect(existsSync(path.join(home, '.config'))).toBe(false);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('%s during decrypt -o: exit 130, said, and nothing decrypted left in the output folder', async (signal) => {
    // 4 GiB of zeros as 64 copies of one zstd frame of 64 MiB: a small backup whose decryption writes for seconds.
    const frame = execFileSync('sh', ['-c', 'head -c 64M /dev/zero | zstd -q -1']);
    const big = path.join(made, `zeros-${signal}.bin.zst.age`);
    execFileSync('age', ['-r', teamRecipient, '-o', big], { input: Buffer.concat(Array.from({ length: 64 }, () => frame)) });
    const outDir = mkdtempSync(path.join(t.dir, 'cancel-'));
    const out = path.join(outDir, 'zeros.bin');
    const child = spawn(process.execPath, [VAULTDESK_BIN, 'decrypt', big, '-i', plainKit, '-o', out], { env: { PATH: process.env.PATH, HOME: home }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // The partial output is there and growing: the decryption is under way.
    await waitFor(() => readdirSync(outDir).some((f) => f.endsWith('.vaultdesk-partial') && statSync(path.join(outDir, f)).size > 0));
    child.kill(signal);
    expect(await exited, stderr).toBe(130);
    expect(stderr).toBe(`vaultdesk: error [CANCELLED]: The decryption was cancelled; nothing was written at ${out}.\n`);
    expect(readdirSync(outDir)).toEqual([]);
  });

  it('each failure: its own words and exit code, and nothing in the output folder', () => {
    const other = path.join(t.dir, 'other.txt');
    expect(vaultdesk(['profile', 'export-identity', 'other', '-o', other]).code).toBe(0);
    const bytes = readFileSync(backup);
    const variant = (name: string, content: Buffer): string => {
      const file = path.join(mkdtempSync(path.join(t.dir, 'in-')), name);
      writeFileSync(file, content);
      return file;
    };
    const truncated = variant('shop.sql.zst.age', bytes.subarray(0, bytes.length - 100));
    const flipped = Buffer.from(bytes);
    flipped[1_000]! ^= 0x40;
    const tampered = variant('shop.sql.zst.age', flipped);
    const notAge = variant('shop.sql.zst.age', dump);
    const cases: { args: string[]; stdin?: string; code: number; stderr: string | RegExp }[] = [
      { args: [notAge, '-i', kit, '--passphrase-stdin'], stdin: KIT_PASSPHRASE, code: 3, stderr: `vaultdesk: error [DECRYPT_FAILED]: ${notAge}: This is not an age encrypted file (it does not start with "age-encryption.org/v1").\n` },
      { args: [backup, '-i', other], code: 4, stderr: `vaultdesk: error [DECRYPT_FAILED]: Wrong key: none of the identities given (identity file ${other}) opens ${backup}; it was encrypted to 1 recipient. Use the identity of the profile that made the backup.\n` },
      {
        args: [backup, '-i', otherKit],
        code: 5,
        stderr: `vaultdesk: error [DECRYPT_FAILED]: No identity in the recovery kit ${otherKit} opens ${backup} (tried profile "other"; it was encrypted to 1 recipient). It was made with a profile this kit does not hold: use a kit or identity file of that profile.\n`,
      },
      { args: [backup, '-i', kit, '--passphrase-stdin'], stdin: 'wrong kit passphrase', code: 6, stderr: /^vaultdesk: error \[DECRYPT_FAILED\]: Wrong passphrase for the recovery kit .*kit\.zip: it does not unwrap the identity of profile "(other|team)"\.\n$/ },
      { args: [truncated, '-i', kit, '--passphrase-stdin'], stdin: KIT_PASSPHRASE, code: 7, stderr: /^vaultdesk: error \[DECRYPT_FAILED\]: \S+shop\.sql\.zst\.age: The end of the file is damaged: it was truncated/ },
      { args: [tampered, '-i', kit, '--passphrase-stdin'], stdin: KIT_PASSPHRASE, code: 8, stderr: `vaultdesk: error [DECRYPT_FAILED]: ${tampered}: The file was modified (authentication failed at payload chunk 1).\n` },
      { args: [backup, '-i', kit], code: 2, stderr: `vaultdesk: error [VALIDATION_FAILED]: The recovery kit ${kit} is protected by a passphrase: give its passphrase (the Passphrase field on the Recovery page, or --passphrase-stdin for vaultdesk decrypt).\n` },
    ];
    for (const c of cases) {
      const folder = mkdtempSync(path.join(t.dir, 'out-'));
      const r = decrypt([...c.args, '-o', path.join(folder, 'shop.sql')], c.stdin);
      expect({ args: c.args, code: r.code }).toEqual({ args: c.args, code: c.code });
      if (typeof c.stderr === 'string') expect(r.stderr).toBe(c.stderr);
      else expect(r.stderr).toMatch(c.stderr);
      expect(r.stderr).not.toContain(KIT_PASSPHRASE);
      expect(readdirSync(folder), `left behind by: decrypt ${c.args.join(' ')}`).toEqual([]);
      // To standard output (decrypt ... | pg_restore): the same words and exit code, which is all a script has.
      const piped = decrypt(c.args, c.stdin);
      expect({ args: c.args, code: piped.code, to: 'stdout' }).toEqual({ args: c.args, code: c.code, to: 'stdout' });
      if (typeof c.stderr === 'string') expect(piped.stderr).toBe(c.stderr);
      else expect(piped.stderr).toMatch(c.stderr);
    }
    const help = decrypt(['--help']);
    expect(help.stdout).toContain('  5  nothing in the recovery kit opens the file (no identity; for a .7z\n       file, no 7-Zip passphrase)');
    expect(help.stdout).toContain('  6  wrong passphrase for the recovery kit or the passphrase-protected identity');
  });
  it.skipIf(no7zz)('decrypt --7z: a 7-Zip off the PATH opens a .7z backup; without it, or at a wrong path, the words say to use --7z and nothing is written', () => {
    const passphrase = 'the 7-Zip passphrase';
    const archive = path.join(made, 'shop.sql.7z');
    execFileSync('7zz', ['a', '-bso0', '-bsp0', `-p${passphrase}`, '-mhe=on', archive, 'dump.sql'], { cwd: made });
    toolWrapper(path.join(t.dir, 'tools', 'my7z'), '7zz', 'exec REAL "$@"');
    // A PATH with no 7-Zip on it: only --7z can find one.
    const emptyBin = path.join(t.dir, 'empty-bin');
    mkdirSync(emptyBin, { recursive: true });
    const run = (args: string[]): { code: number | null; stderr: string; folder: string; out: string } => {
      const folder = mkdtempSync(path.join(t.dir, 'out-'));
      const out = path.join(folder, 'shop.sql');
      const r = bare(['decrypt', archive, '--passphrase-stdin', '-o', out, ...args], { stdin: `${passphrase}\n`, cwd: t.dir, env: { PATH: emptyBin } });
      return { code: r.code, stderr: r.stderr, folder, out };
    };
    const searched = run([]);
    expect([searched.code, searched.stderr]).toEqual([
      1,
      'vaultdesk: error [CLIENT_TOOL_MISSING]: 7-Zip (7zz, 7z or 7za) was not found. Install 7-Zip 22 or newer (Debian/Ubuntu: apt install 7zip, which provides 7zz; Fedora: dnf install 7zip; macOS: brew install sevenzip; Windows: the installer from 7-zip.org) or give its path with --7z PATH.\n',
    ]);
    expect(readdirSync(searched.folder)).toEqual([]);
    const gone = path.join(t.dir, 'no-such', '7zz');
    const wrong = run(['--7z', gone]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(new RegExp(`^vaultdesk: error \\[CLIENT_TOOL_MISSING\\]: 7-Zip was not found at ${gone} \\(given with --7z\\)\\. Correct the path, or leave --7z out to search the PATH\\. Install 7-Zip 22 or newer .* or give its path with --7z PATH\\.\n$`));
    expect(readdirSync(wrong.folder)).toEqual([]);
    // Relative to the working directory, as -o is.
    const given = run(['--7z', path.join('tools', 'my7z')]);
    expect([given.code, given.stderr]).toEqual([0, `Decrypted ${statSync(archive).size} bytes into ${dump.length} with the 7-Zip passphrase; no manifest beside the file, so only 7-Zip's own checks were made.\n`]);
    expect(readFileSync(given.out).equals(dump)).toBe(true);
  });
});
