import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecoveryDecryptProgressDto } from '../../../shared/domain/recovery';
import { AppError } from '../../../shared/ipc/result';
import type { Core } from '../create-core';
import { probeCommand, shouldSkip } from '../testing/services';
import { blockUntil } from '../testing/block-thread';
import { tempCore, tempDir } from '../testing/temp-dir';

const skip = shouldSkip('age, age-keygen and zstd CLIs', probeCommand('age') ?? probeCommand('zstd') ?? probeCommand('age-keygen', ['--version']));

/** The identity line of an age-keygen file. */
function identityLine(file: string): string {
  return readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-1'))!;
}

describe.skipIf(skip)('recovery:decrypt, a file made with the standard age and zstd tools', () => {
  const t = tempDir('vaultdesk-host-decrypt-');
  const at = (...p: string[]): string => path.join(t.dir, ...p);
  let core: Core;
  // Incompressible, so the encrypted file is several age chunks and progress has something to report.
  const payload = Buffer.concat([Buffer.from('PGDMP'), randomBytes(300 * 1024)]);
  const progress: RecoveryDecryptProgressDto[] = [];
  let recipient = '';

  beforeAll(async () => {
    execFileSync('age-keygen', ['-o', at('team.txt')], { stdio: 'ignore' });
    execFileSync('age-keygen', ['-o', at('other.txt')], { stdio: 'ignore' });
    recipient = execFileSync('age-keygen', ['-y', at('team.txt')], { encoding: 'utf8' }).trim();
    writeFileSync(at('shop.dump'), payload);
    execFileSync('sh', ['-c', `zstd -q -c "$1" | age -r "$2" -o "$3"`, 'sh', at('shop.dump'), recipient, at('shop.dump.zst.age')]);
    core = await tempCore(at('install'));
    core.events.on('recovery:decryptProgress', (p) => progress.push(p));
    // The kit is made by the same install, from the same identity imported into a profile.
    const profile = await core.call('profiles:create', { kind: 'age', name: 'team', identity: identityLine(at('team.txt')) });
    await core.call('recovery:exportKit', { path: at('kit.zip'), profileIds: [profile.id] });
  });
  afterAll(() => {
    core?.close();
    t.cleanup();
  });

  it('decrypts and decompresses with an identity file, reporting progress up to the whole file', async () => {
    const out = at('restored', 'with-identity.dump');
    const result = await core.call('recovery:decrypt', { file: at('shop.dump.zst.age'), identity: at('team.txt'), out });
    expect(readFileSync(out).equals(payload)).toBe(true);
    expect(result).toMatchObject({ path: out, bytes: payload.length, format: 'age', decompressed: 'zstd', verifiedAgainstManifest: false });
    expect(result.openedWith).toContain('team.txt');
    const size = readFileSync(at('shop.dump.zst.age')).length;
    expect(progress.at(-1)).toEqual({ file: at('shop.dump.zst.age'), bytes: size, total: size });
  });

  it('decrypts in the pipeline worker: the whole file is written while the host thread is blocked from the first progress report on', async () => {
    // Many age chunks after the first report; were the stream on this thread, blocking it in the
    // progress listener would stop the decryption until the block gave up.
    const plain = randomBytes(128 * 1024 * 1024);
    writeFileSync(at('big.bin'), plain);
    execFileSync('age', ['-r', recipient, '-o', at('big.bin.age'), at('big.bin')]);
    const out = at('restored', 'big.bin');
    let blocked: boolean | null = null;
    const off = core.events.on('recovery:decryptProgress', (p) => {
      if (blocked === null && p.file === at('big.bin.age') && p.bytes < p.total) blocked = blockUntil(() => existsSync(out), 30_000);
    });
    try {
      await core.call('recovery:decrypt', { file: at('big.bin.age'), identity: at('team.txt'), out, decompress: false });
    } finally {
      off();
    }
    expect(blocked).toBe(true);
    expect(readFileSync(out).equals(plain)).toBe(true);
  }, 60_000);

  it('decrypts with a recovery kit, and keeps the zstd bytes when asked', async () => {
    const out = at('restored', 'with-kit.dump.zst');
    const result = await core.call('recovery:decrypt', { file: at('shop.dump.zst.age'), identity: at('kit.zip'), out, decompress: false });
    expect(result.openedWith).toMatch(/profile "team"/);
    expect(result.decompressed).toBe('none');
    expect(execFileSync('zstd', ['-d', '-c', out]).equals(payload)).toBe(true);
  });

  it('says a wrong identity in words and leaves nothing at the output, not even a partial file', async () => {
    const out = at('wrong', 'shop.dump');
    const error = await core.call('recovery:decrypt', { file: at('shop.dump.zst.age'), identity: at('other.txt'), out }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'DECRYPT_FAILED', details: { failure: 'wrong-key' } });
    expect((error as AppError).message).toMatch(/^Wrong key: none of the identities given/);
    expect(existsSync(out)).toBe(false);
    // Not even the folder made for it.
    expect(existsSync(at('wrong'))).toBe(false);
  });

  it('refuses to replace an existing file, and a request with no key, before reading anything', async () => {
    writeFileSync(at('taken.dump'), 'mine');
    await expect(core.call('recovery:decrypt', { file: at('shop.dump.zst.age'), identity: at('team.txt'), out: at('taken.dump') })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'out' },
    });
    expect(readFileSync(at('taken.dump'), 'utf8')).toBe('mine');
    await expect(core.call('recovery:decrypt', { file: at('shop.dump.zst.age'), out: at('nokey.dump') })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'identity' } });
  });

  it('tells a file that is not an age file, a truncated one and a missing one apart', async () => {
    writeFileSync(at('plain.dump'), payload);
    const whole = readFileSync(at('shop.dump.zst.age'));
    writeFileSync(at('cut.dump.zst.age'), whole.subarray(0, whole.length - 1000));
    const attempt = (file: string, out: string): Promise<unknown> => core.call('recovery:decrypt', { file: at(file), identity: at('team.txt'), out: at(out) }).catch((e: unknown) => e);
    expect(await attempt('plain.dump', 'a.out')).toMatchObject({ code: 'DECRYPT_FAILED', details: { failure: 'not-age' } });
    expect(await attempt('cut.dump.zst.age', 'b.out')).toMatchObject({ details: { failure: 'truncated' } });
    // Named by the field it came in, so the Recovery page shows it under that field.
    expect(await attempt('missing.age', 'c.out')).toMatchObject({ code: 'OBJECT_NOT_FOUND', details: { field: 'file' } });
    for (const out of ['a.out', 'b.out', 'c.out']) expect(existsSync(at(out))).toBe(false);
  });

  it('names the field of a key file that is missing and of an output that cannot be written, for the form to show it under', async () => {
    const missingKey = await core.call('recovery:decrypt', { file: at('shop.dump.zst.age'), identity: at('no-such-kit.zip'), out: at('d.out') }).catch((e: unknown) => e);
    expect(missingKey).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'identity' } });
    writeFileSync(at('a-file'), 'not a folder');
    const out = at('a-file', 'shop.dump');
    const unwritable = await core.call('recovery:decrypt', { file: at('shop.dump.zst.age'), identity: at('team.txt'), out }).catch((e: unknown) => e);
    expect(unwritable).toMatchObject({
      code: 'FILE_WRITE_FAILED',
      message: `Could not write ${out}: part of ${out} is a file where a folder should be.`,
      details: { field: 'out', problem: 'not-folder' },
    });
  });

  it('runs in the pipeline worker: one that is not built is INTERNAL naming the missing file, and nothing is written', async () => {
    const missing = at('checkout', 'out', 'main', 'pipeline-worker.js');
    const unbuilt = await tempCore(at('unbuilt'), undefined, { workerFile: pathToFileURL(missing) });
    try {
      const error = await unbuilt.call('recovery:decrypt', { file: at('shop.dump.zst.age'), identity: at('team.txt'), out: at('unbuilt.dump') }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'INTERNAL', message: `The decryption worker is not built (${missing} is missing): run npm run build.` });
      expect(existsSync(at('unbuilt.dump'))).toBe(false);
    } finally {
      unbuilt.close();
    }
  });
});
