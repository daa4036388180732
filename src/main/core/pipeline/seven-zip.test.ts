import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { watchDescendants, type SeenProcess } from '../testing/child-processes';
import { mountTmpfs, mountUnavailable } from '../testing/mounts';
import { probeCommand, shouldSkip } from '../testing/services';
import { tempDir } from '../testing/temp-dir';
import { listSevenZip } from './seven-zip-extract';
import { createSevenZipArchive, extractSevenZip, findSevenZip, type SevenZipTool } from './seven-zip';
import { sliced } from './testing/stream-harness';

const skip = shouldSkip('7-Zip (7zz, Debian package 7zip)', probeCommand('7zz', []));

const PASSPHRASE = 'correct horse battery staple 7z';
const ENTRY = '20261126T053007Z.dump';
const MiB = 1024 * 1024;
const SEVEN_ZIP_NAMES = ['7zz', '7z', '7za'];

/** Random bytes (incompressible) followed by SQL-like text (very compressible). */
function payload(): Buffer {
  const lines: string[] = [];
  for (let i = 0, length = 0; length < 2 * MiB; i++) {
    const line = `INSERT INTO "Vaultdesk canary" VALUES (${i}, 'row ${i} of the text part');\n`;
    lines.push(line);
    length += line.length;
  }
  return Buffer.concat([randomBytes(3 * MiB), Buffer.from(lines.join(''))]);
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** Live processes whose command line mentions `text` (Linux /proc). */
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes(text) && Number(pid) !== process.pid) found.push(pid);
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** Waits up to 5 s for the processes mentioning `text` to exit; returns those still there. */
async function gone(text: string): Promise<string[]> {
  for (let i = 0; i < 50 && processesMentioning(text).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  return processesMentioning(text);
}

/** An endless random stream that calls `onBytes` with the running total. */
function endless(onBytes: (total: number) => void): Readable {
  let total = 0;
  return new Readable({
    read() {
      const chunk = randomBytes(256 * 1024);
      total += chunk.length;
      this.push(chunk);
      onBytes(total);
    },
  });
}

/** Emits `bytes` random bytes, then fails with `error`. */
function failingAfter(bytes: number, error: Error): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= bytes) {
        this.destroy(error);
        return;
      }
      sent += 256 * 1024;
      this.push(randomBytes(256 * 1024));
    },
  });
}

describe.skipIf(skip)('7-Zip archives (real 7zz)', () => {
  let t: ReturnType<typeof tempDir>;
  let tool: SevenZipTool;
  let work: string;
  let data: Buffer;
  let archive: { file: string; size: number };

  beforeAll(async () => {
    t = tempDir('vaultdesk-7z-');
    tool = await findSevenZip({ PATH: process.env.PATH });
    data = payload();
    const dir = path.join(t.dir, 'made');
    mkdirSync(dir);
    archive = await createSevenZipArchive(sliced(data), { tool, passphrase: PASSPHRASE, entryName: ENTRY, tempDir: dir });
  });
  afterAll(() => t?.cleanup());
  beforeEach(() => {
    work = path.join(t.dir, `w-${randomBytes(4).toString('hex')}`);
    mkdirSync(work);
  });

  it('writes one 0600 file into tempDir with the size it reports, AES-encrypted, one entry', async () => {
    expect(path.dirname(archive.file)).toBe(path.join(t.dir, 'made'));
    expect(readdirSync(path.dirname(archive.file))).toEqual([path.basename(archive.file)]);
    const info = statSync(archive.file);
    expect(info.mode & 0o777).toBe(0o600);
    expect(info.size).toBe(archive.size);
    // The text half compresses well: the archive is smaller than the input.
    expect(archive.size).toBeLessThan(data.length);
    const listing = await listSevenZip(archive.file, { tool, passphrase: PASSPHRASE });
    expect(listing.entries).toEqual([{ name: ENTRY, size: data.length }]);
    expect(listing.method).toMatch(/7zAES/);
  });

  it('round trip: extractSevenZip gives back every byte (random + text, 5 MiB)', async () => {
    const out = await buffer(await extractSevenZip(archive.file, { tool, passphrase: PASSPHRASE }));
    expect(out.equals(data)).toBe(true);
  });

  it('round trip the DBA way: `7zz x -p... -o DIR FILE` restores the entry under its name', () => {
    execFileSync(tool.path, ['x', `-p${PASSPHRASE}`, `-o${work}`, archive.file], { stdio: 'ignore' });
    expect(readdirSync(work)).toEqual([ENTRY]);
    expect(readFileSync(path.join(work, ENTRY)).equals(data)).toBe(true);
    execFileSync(tool.path, ['t', `-p${PASSPHRASE}`, archive.file], { stdio: 'ignore' });
  });

  it('a wrong passphrase fails, in our code and in 7zz, and is not echoed', async () => {
    const error = await failure(extractSevenZip(archive.file, { tool, passphrase: 'not the passphrase at all' }));
    expect(error.code).toBe('DECRYPT_FAILED');
    expect(error.message).toMatch(/wrong passphrase/);
    expect(JSON.stringify(error.toPayload())).not.toContain('not the passphrase at all');
    const cli = spawnSync(tool.path, ['x', '-pnot-the-passphrase', `-o${work}`, archive.file], { input: '' });
    expect(cli.status).not.toBe(0);
    expect(readdirSync(work).filter((f) => statSync(path.join(work, f)).size > 0)).toEqual([]);
  });

  it('headers are encrypted: without the passphrase `7zz l` fails and the entry name shows nowhere', () => {
    const cli = spawnSync(tool.path, ['l', archive.file], { input: '' });
    const said = `${cli.stdout.toString()}${cli.stderr.toString()}`;
    expect(cli.status).not.toBe(0);
    expect(said).toContain(path.basename(archive.file));
    expect(said).not.toContain(ENTRY);
    expect(said).not.toContain('20261126T053007Z');
    const raw = readFileSync(archive.file);
    for (const needle of [ENTRY, 'Vaultdesk canary', 'INSERT INTO']) {
      expect(raw.includes(Buffer.from(needle, 'utf8'))).toBe(false);
      expect(raw.includes(Buffer.from(needle, 'utf16le'))).toBe(false);
    }
  });

  it('an awkward passphrase (quotes, unicode, leading dash, $ and spaces) round-trips both ways', async () => {
    const passphrase = `-"it's" café ☕ $HOME \`id\` ; | *`;
    const small = Buffer.from('SELECT 1;\n'.repeat(1000));
    const made = await createSevenZipArchive(sliced(small), { tool, passphrase, entryName: 'café ☕ dump.sql', tempDir: work, level: 0 });
    expect((await buffer(await extractSevenZip(made.file, { tool, passphrase }))).equals(small)).toBe(true);
    const out = path.join(work, 'out');
    execFileSync(tool.path, ['x', `-p${passphrase}`, `-o${out}`, made.file], { stdio: 'ignore' });
    expect(readFileSync(path.join(out, 'café ☕ dump.sql')).equals(small)).toBe(true);
  });

  it('an abort mid-way rejects CANCELLED, leaves no file in tempDir and no 7zz process', async () => {
    const controller = new AbortController();
    const input = endless((total) => {
      if (total >= 8 * MiB && !controller.signal.aborted) controller.abort();
    });
    const error = await failure(createSevenZipArchive(input, { tool, passphrase: PASSPHRASE, entryName: ENTRY, tempDir: work, signal: controller.signal }));
    expect(error.code).toBe('CANCELLED');
    expect(readdirSync(work)).toEqual([]);
    expect(processesMentioning(work)).toEqual([]);
    expect(input.destroyed).toBe(true);
  });

  it('a dump that fails after a cancel has stopped 7-Zip is not an uncaught error', async () => {
    const controller = new AbortController();
    const input = endless((total) => {
      if (total >= MiB && !controller.signal.aborted) controller.abort();
    });
    const error = await failure(createSevenZipArchive(input, { tool, passphrase: PASSPHRASE, entryName: ENTRY, tempDir: work, signal: controller.signal }));
    expect(error.code).toBe('CANCELLED');
    // What the dump's stream does when its own cancel lands after 7-Zip closed (emit throws when nobody listens).
    expect(() => input.emit('error', new AppError('CANCELLED', 'The dump of app.db was cancelled.'))).not.toThrow();
  });

  it('a failing input rejects with its cause, leaves nothing, and 7zz never finishes an archive', async () => {
    const plain = await failure(createSevenZipArchive(failingAfter(3 * MiB, new Error('the dump connection dropped')), { tool, passphrase: PASSPHRASE, entryName: ENTRY, tempDir: work }));
    expect(plain.code).toBe('ENCRYPT_FAILED');
    expect(plain.message).toContain('the dump connection dropped');
    const dump = await failure(createSevenZipArchive(failingAfter(MiB, new AppError('DUMP_FAILED', 'pg_dump exited with code 1')), { tool, passphrase: PASSPHRASE, entryName: ENTRY, tempDir: work }));
    expect(dump.code).toBe('DUMP_FAILED');
    expect(readdirSync(work)).toEqual([]);
    expect(processesMentioning(work)).toEqual([]);
  });

  it('7-Zip failing: ENCRYPT_FAILED with its stderr, the passphrase scrubbed, nothing left', async () => {
    // A stand-in that takes the passphrase as 7-Zip does, then fails the way 7-Zip does on a bad
    // switch, echoing its whole command line and what it read.
    const fake = path.join(work, 'fake-7zz');
    writeFileSync(fake, `#!/bin/sh\nprintf '\\nEnter password (will not be echoed):'\nread -r pw\necho\n/bin/cat >/dev/null\necho "Command Line Error: Unsupported switch: $* (read: $pw)" >&2\nexit 7\n`);
    chmodSync(fake, 0o755);
    const target = path.join(work, 'target');
    mkdirSync(target);
    const error = await failure(createSevenZipArchive(sliced(randomBytes(MiB)), { tool: { path: fake, version: '26.02' }, passphrase: PASSPHRASE, entryName: ENTRY, tempDir: target }));
    expect(error.code).toBe('ENCRYPT_FAILED');
    expect(error.message).toMatch(/exited with code 7 \(command line error\)/);
    expect(error.message).toContain('Unsupported switch');
    // Its command line ends `-p -- ARCHIVE`: the passphrase came on stdin, and is scrubbed from what it echoed.
    expect(error.message).toMatch(/ -p -- \S+archive\.7z \(read: \[passphrase\]\)/);
    expect(JSON.stringify(error.toPayload())).not.toContain(PASSPHRASE);
    expect(readdirSync(target)).toEqual([]);
  });

  it('while 7zz archives, the passphrase is in no 7-Zip argv or environment, and the archive opens only with it', async () => {
    const slow = payload();
    let offset = 0;
    // Fed in pieces with pauses, so 7zz is alive for a while and the watch gets its turns.
    const input = new Readable({
      read() {
        if (offset >= slow.length) return void this.push(null);
        const piece = slow.subarray(offset, offset + 256 * 1024);
        offset += piece.length;
        setTimeout(() => this.push(piece), 15);
      },
    });
    const watch = watchDescendants(SEVEN_ZIP_NAMES);
    let seen: SeenProcess[];
    let made: { file: string; size: number };
    try {
      made = await createSevenZipArchive(input, { tool, passphrase: PASSPHRASE, entryName: ENTRY, tempDir: work });
    } finally {
      seen = watch.stop();
    }
    const creating = seen.filter((p) => p.argv[1] === 'a');
    expect(creating.length).toBeGreaterThanOrEqual(1);
    expect(creating[0]!.argv).toContain('-p');
    for (const p of seen) {
      expect(p.argv.join(' ')).not.toContain(PASSPHRASE);
      expect(p.environ.join('\n')).not.toContain(PASSPHRASE);
    }
    expect((await buffer(await extractSevenZip(made.file, { tool, passphrase: PASSPHRASE }))).equals(slow)).toBe(true);
    expect((await failure(extractSevenZip(made.file, { tool, passphrase: `${PASSPHRASE}!` }))).code).toBe('DECRYPT_FAILED');
  });

  it('a 7-Zip that never asks for the passphrase: ENCRYPT_FAILED in bounded time, no data sent, nothing left', async () => {
    const fake = path.join(work, 'silent-7zz');
    writeFileSync(fake, '#!/bin/sh\nexec /bin/cat >/dev/null\n');
    chmodSync(fake, 0o755);
    const target = path.join(work, 'target');
    mkdirSync(target);
    const input = sliced(randomBytes(MiB));
    const error = await failure(createSevenZipArchive(input, { tool: { path: fake, version: '26.02' }, passphrase: PASSPHRASE, entryName: ENTRY, tempDir: target, promptTimeoutMs: 1000 }));
    expect(error.code).toBe('ENCRYPT_FAILED');
    expect(error.message).toMatch(/did not ask for the passphrase on its standard input within 1 s/);
    expect(error.message).toContain(fake);
    expect(input.destroyed).toBe(true);
    expect(readdirSync(target)).toEqual([]);
    expect(await gone(target)).toEqual([]);
  });

  it('a 7-Zip that takes data along with its passphrase line: the short archive is caught and removed', async () => {
    // Claims to have read the passphrase before the real 7zz even started: the data then sits
    // in the pipe behind the passphrase line and 7zz's line read swallows the first few KiB.
    const early = path.join(work, 'early-7zz');
    writeFileSync(early, `#!/bin/sh\nprintf '\\nEnter password (will not be echoed):\\n'\n/bin/sleep 1\nexec ${tool.path} "$@"\n`);
    chmodSync(early, 0o755);
    const target = path.join(work, 'target');
    mkdirSync(target);
    const error = await failure(createSevenZipArchive(sliced(randomBytes(MiB)), { tool: { ...tool, path: early }, passphrase: PASSPHRASE, entryName: ENTRY, tempDir: target }));
    expect(error.code).toBe('ENCRYPT_FAILED');
    expect(error.message).toMatch(new RegExp(`was given ${MiB} bytes as ${ENTRY.replace('.', '\\.')} but its archive holds ${ENTRY.replace('.', '\\.')} \\(\\d+ bytes\\), so the archive was removed`));
    expect(JSON.stringify(error.toPayload())).not.toContain(PASSPHRASE);
    expect(readdirSync(target)).toEqual([]);
  });

  it('refuses unusable input before starting 7-Zip: empty or multi-line passphrase, a path as entry name, a bad level', async () => {
    const cases: [Partial<Parameters<typeof createSevenZipArchive>[1]>, RegExp][] = [
      [{ passphrase: '' }, /empty passphrase/],
      [{ passphrase: 'line one\nline two' }, /line break/],
      [{ entryName: '../etc/passwd' }, /plain file name/],
      [{ level: 12 }, /0 to 9/],
      [{ tempDir: path.join(work, 'no-such-folder') }, /temporary file/],
    ];
    for (const [override, message] of cases) {
      const input = sliced(Buffer.from('data'));
      const error = await failure(createSevenZipArchive(input, { tool, passphrase: PASSPHRASE, entryName: ENTRY, tempDir: work, ...override }));
      expect(error.code).toBe('ENCRYPT_FAILED');
      expect(error.message).toMatch(message);
      expect(input.destroyed).toBe(true);
    }
    expect(readdirSync(work)).toEqual([]);
  });

  it.skipIf(shouldSkip('mounting test file systems', mountUnavailable()))('a temporary folder without room for the archive: ENCRYPT_FAILED naming the folder that is full, nothing left', async () => {
    const disk = mountTmpfs(path.join(work, 'small'), '256k');
    try {
      await expect(createSevenZipArchive(sliced(data), { tool, passphrase: PASSPHRASE, entryName: ENTRY, tempDir: disk.dir })).rejects.toMatchObject({
        code: 'ENCRYPT_FAILED',
        message: `Encrypting with 7-Zip failed: its archive could not be written in ${disk.dir}: no space left on the device holding ${disk.dir}.`,
      });
      expect(readdirSync(disk.dir)).toEqual([]);
    } finally {
      disk.unmount();
    }
  });

  it('a 7-Zip binary that has gone: CLIENT_TOOL_MISSING and nothing left', async () => {
    const error = await failure(createSevenZipArchive(sliced(randomBytes(MiB)), { tool: { path: path.join(work, 'gone', '7zz'), version: '26.02' }, passphrase: PASSPHRASE, entryName: ENTRY, tempDir: work }));
    expect(error.code).toBe('CLIENT_TOOL_MISSING');
    expect(JSON.stringify(error.toPayload())).not.toContain(PASSPHRASE);
    expect(readdirSync(work)).toEqual([]);
  });

  it('a damaged archive: the extract stream errors with INTEGRITY_FAILED instead of ending', async () => {
    const damaged = path.join(work, 'damaged.7z');
    const bytes = readFileSync(archive.file);
    // Inside the packed data, well before the (encrypted) headers at the end.
    bytes[Math.floor(bytes.length / 3)]! ^= 0xff;
    writeFileSync(damaged, bytes);
    const stream = await extractSevenZip(damaged, { tool, passphrase: PASSPHRASE });
    const error = await failure(buffer(stream));
    expect(error.code).toBe('INTEGRITY_FAILED');
    expect(error.message).toMatch(/damaged/);
  });

  it('a truncated archive cannot be opened', async () => {
    const truncated = path.join(work, 'truncated.7z');
    writeFileSync(truncated, readFileSync(archive.file).subarray(0, archive.size - 100));
    expect((await failure(extractSevenZip(truncated, { tool, passphrase: PASSPHRASE }))).code).toBe('DECRYPT_FAILED');
  });

  it('closing the extract stream early stops 7zz', async () => {
    const stream = await extractSevenZip(archive.file, { tool, passphrase: PASSPHRASE });
    await new Promise<void>((resolve) => stream.once('data', () => resolve()));
    stream.destroy();
    expect(await gone(archive.file)).toEqual([]);
  });

  it('an abort while extracting errors the stream with CANCELLED and stops 7zz', async () => {
    const controller = new AbortController();
    const stream = await extractSevenZip(archive.file, { tool, passphrase: PASSPHRASE, signal: controller.signal });
    stream.once('data', () => controller.abort());
    expect((await failure(buffer(stream))).code).toBe('CANCELLED');
    expect(await gone(archive.file)).toEqual([]);
  });

  it('a missing archive: OBJECT_NOT_FOUND', async () => {
    expect((await failure(extractSevenZip(path.join(work, 'nope.7z'), { tool, passphrase: PASSPHRASE }))).code).toBe('OBJECT_NOT_FOUND');
  });
});
