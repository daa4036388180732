import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../../shared/ipc/result';
import { mountTmpfs, mountUnavailable } from '../testing/mounts';
import { probeCommand, shouldSkip } from '../testing/services';
import { tempDir } from '../testing/temp-dir';
import { compressionFromName, decryptBackupFile } from './decrypt-file';

/** What a failed decryption would have left: its partial output, under the hidden name of its own. */
const partials = (dir: string): string[] => readdirSync(dir).filter((name) => name.endsWith('.vaultdesk-partial'));

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!done()) throw new Error('timed out waiting');
}

const skip = shouldSkip('age and zstd CLIs', probeCommand('age') ?? probeCommand('zstd'));

describe.skipIf(skip)('offline decryption (vaultdesk decrypt)', () => {
  const t = tempDir('vaultdesk-decrypt-');
  afterAll(() => t.cleanup());
  const identity = path.join(t.dir, 'id.txt');
  execFileSync('age-keygen', ['-o', identity], { stdio: 'ignore' });
  const recipient = execFileSync('age-keygen', ['-y', identity], { encoding: 'utf8' }).trim();
  const plain = Buffer.concat([randomBytes(300_000), Buffer.from('SELECT 1;\n'.repeat(50_000))]);
  writeFileSync(path.join(t.dir, 'dump.sql'), plain);
  // Made entirely by the standard tools: zstd, then age.
  const file = path.join(t.dir, 'dump.sql.zst.age');
  execFileSync('sh', ['-c', `zstd -q -c "$1" | age -r "$2" > "$3"`, 'sh', path.join(t.dir, 'dump.sql'), recipient, file]);

  it('decrypts and decompresses what age and zstd made, from the file name alone', async () => {
    const out = path.join(t.dir, 'out.sql');
    const r = await decryptBackupFile(file, { path: out }, { keys: { identityText: [readFileSync(identity, 'utf8')] }, decompress: true });
    expect(readFileSync(out).equals(plain)).toBe(true);
    expect(r).toMatchObject({ compression: 'zstd', bytesOut: plain.length, verifiedAgainstManifest: false });
    expect(compressionFromName('a/b.sql.gz.age')).toBe('gzip');
  });

  it('checks the manifest beside the file and keeps nothing when the bytes do not match it', async () => {
    const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
    const manifest = (sha256: string) => JSON.stringify({ formatVersion: 1, compression: { algorithm: 'zstd', level: null }, object: { key: 'x', size: 0, sha256 } });
    writeFileSync(`${file}.manifest.json`, manifest(sha));
    const ok = await decryptBackupFile(file, { path: path.join(t.dir, 'ok.sql') }, { keys: { identityText: [readFileSync(identity, 'utf8')] }, decompress: true });
    expect(ok.verifiedAgainstManifest).toBe(true);
    writeFileSync(`${file}.manifest.json`, manifest('0'.repeat(64)));
    const bad = path.join(t.dir, 'bad.sql');
    await expect(decryptBackupFile(file, { path: bad }, { keys: { identityText: [readFileSync(identity, 'utf8')] }, decompress: true })).rejects.toMatchObject({ code: 'INTEGRITY_FAILED' });
    expect(existsSync(bad)).toBe(false);
    expect(partials(t.dir)).toEqual([]);
    rmSync(`${file}.manifest.json`);
  });

  it('a wrong identity fails with DECRYPT_FAILED and writes nothing', async () => {
    const other = path.join(t.dir, 'other.txt');
    execFileSync('age-keygen', ['-o', other], { stdio: 'ignore' });
    const out = path.join(t.dir, 'wrong.sql');
    await expect(decryptBackupFile(file, { path: out }, { keys: { identityText: [readFileSync(other, 'utf8')] }, decompress: true })).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
    expect(existsSync(out)).toBe(false);
    expect(partials(t.dir)).toEqual([]);
    // Folders made for an output that never came go too; one that was there stays.
    const nested = path.join(t.dir, 'made-for-it', 'deeper', 'wrong.sql');
    await expect(decryptBackupFile(file, { path: nested }, { keys: { identityText: [readFileSync(other, 'utf8')] }, decompress: true })).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
    expect(existsSync(path.join(t.dir, 'made-for-it'))).toBe(false);
    expect(existsSync(t.dir)).toBe(true);
  });

  it('makes a missing output folder, and says in words where the output cannot go', async () => {
    const keys = { identityText: [readFileSync(identity, 'utf8')] };
    const nested = path.join(t.dir, 'restore', 'here', 'out.sql');
    await decryptBackupFile(file, { path: nested }, { keys, decompress: true });
    expect(readFileSync(nested).equals(plain)).toBe(true);
    const refused = async (out: string): Promise<AppError> => {
      try {
        await decryptBackupFile(file, { path: out }, { keys, decompress: true });
      } catch (error) {
        return error as AppError;
      }
      throw new Error(`expected ${out} to be refused`);
    };
    expect((await refused('/proc/x/out.sql')).toPayload()).toMatchObject({
      code: 'FILE_WRITE_FAILED',
      message: 'Could not write /proc/x/out.sql: folder /proc/x cannot be created: /proc exists but does not accept new folders (a system folder such as /proc or /sys, or a mount point that is not a normal disk).',
    });
    const folder = path.join(t.dir, 'restore');
    expect((await refused(folder)).message).toBe(`Could not write ${folder}: ${folder} is a folder where a file should be.`);
    // Never over a file: not one that is there already, and not the backup itself (a typo away from -o).
    const kept = path.join(t.dir, 'precious.txt');
    writeFileSync(kept, 'mine');
    expect((await refused(kept)).toPayload()).toMatchObject({ code: 'VALIDATION_FAILED', message: `${kept} already exists: choose another path, or remove it first. Nothing was decrypted.`, details: { field: 'path' } });
    expect(readFileSync(kept, 'utf8')).toBe('mine');
    const stored = readFileSync(file);
    expect((await refused(file)).code).toBe('VALIDATION_FAILED');
    expect(readFileSync(file).equals(stored)).toBe(true);
    expect(partials(t.dir)).toEqual([]);
  });

  it('a file made at the output while it decrypts is kept, and this output is not put in its place', async () => {
    // The backup comes through a pipe, so the test holds the decryption halfway while a file appears.
    const fifo = path.join(t.dir, 'slow.sql.zst.age');
    execFileSync('mkfifo', [fifo]);
    const out = path.join(t.dir, 'raced.sql');
    const decrypting = decryptBackupFile(fifo, { path: out }, { keys: { identityText: [readFileSync(identity, 'utf8')] }, decompress: true }).then(
      () => null,
      (error: unknown) => error as AppError,
    );
    const bytes = readFileSync(file);
    const writer = createWriteStream(fifo);
    await new Promise<void>((resolve) => writer.write(bytes.subarray(0, 64 * 1024), () => resolve()));
    await until(() => partials(t.dir).length === 1);
    writeFileSync(out, 'theirs');
    await new Promise<void>((resolve) => writer.end(bytes.subarray(64 * 1024), () => resolve()));
    const refused = await decrypting;
    expect(refused?.toPayload()).toMatchObject({ code: 'VALIDATION_FAILED', message: `${out} already exists: choose another path, or remove it first. Nothing was decrypted.` });
    expect(readFileSync(out, 'utf8')).toBe('theirs');
    expect(partials(t.dir)).toEqual([]);
    rmSync(fifo);
  });

  it.skipIf(shouldSkip('mounting test file systems', mountUnavailable()))('an output disk that fills up: no space left, in words, and no partial file', async () => {
    const disk = mountTmpfs(path.join(t.dir, 'small'), '256k');
    try {
      const out = path.join(disk.dir, 'out.sql');
      await expect(decryptBackupFile(file, { path: out }, { keys: { identityText: [readFileSync(identity, 'utf8')] }, decompress: true })).rejects.toMatchObject({
        code: 'FILE_WRITE_FAILED',
        message: `Could not write ${out}: no space left on the device holding ${disk.dir}.`,
      });
      expect(readdirSync(disk.dir)).toEqual([]);
    } finally {
      disk.unmount();
    }
  });

  it('the CLI needs no data dir and reports errors with their code', () => {
    const bin = path.resolve(import.meta.dirname, '../../../../bin/vaultdesk.mjs');
    const env = { PATH: process.env.PATH, HOME: path.join(t.dir, 'nohome') };
    const out = path.join(t.dir, 'cli.sql');
    execFileSync(process.execPath, [bin, 'decrypt', file, '-i', identity, '-o', out, '--no-decompress'], { env, stdio: 'pipe' });
    expect(execFileSync('zstd', ['-d', '-c', out]).equals(plain)).toBe(true);
    let stderr = '';
    try {
      execFileSync(process.execPath, [bin, 'decrypt', file, '-o', out], { env, stdio: 'pipe' });
    } catch (error) {
      stderr = String((error as { stderr: Buffer }).stderr);
    }
    expect(stderr).toContain('[VALIDATION_FAILED]');
    expect(existsSync(path.join(t.dir, 'nohome'))).toBe(false);
  });
});
