import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLogFile } from './log-file';
import { jsonLogger } from './logger';
import { tempDir } from './testing/temp-dir';

describe('openLogFile', () => {
  const t = tempDir('vaultdesk-log-');
  afterAll(() => t.cleanup());

  it('rotates by size, keeps only the newest old files, and every line in every file is a whole JSON line', () => {
    const dir = path.join(t.dir, 'rotate', 'logs');
    const file = openLogFile({ dir, name: 'vaultdesk.log', maxBytes: 2000, keep: 2 });
    const log = jsonLogger(file.write);
    for (let i = 0; i < 200; i++) log.info('run finished', { line: i, padding: 'x'.repeat(i % 37) });
    file.close();

    expect(readdirSync(dir).sort()).toEqual(['vaultdesk.log', 'vaultdesk.log.1', 'vaultdesk.log.2']);
    const read = (name: string): { line: number }[] =>
      readFileSync(path.join(dir, name), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { line: number });
    const current = read('vaultdesk.log');
    const older = read('vaultdesk.log.1');
    const oldest = read('vaultdesk.log.2');
    for (const name of ['vaultdesk.log', 'vaultdesk.log.1', 'vaultdesk.log.2']) {
      expect(readFileSync(path.join(dir, name), 'utf8').endsWith('\n')).toBe(true);
      expect(statSync(path.join(dir, name)).size).toBeLessThanOrEqual(2000);
    }
    // The newest lines are in the current file, in order, continuing where .1 stopped; older lines were dropped.
    expect(current.at(-1)!.line).toBe(199);
    expect(older.at(-1)!.line).toBe(current[0]!.line - 1);
    expect(oldest.at(-1)!.line).toBe(older[0]!.line - 1);
    expect(oldest[0]!.line).toBeGreaterThan(0);
    const lines = [...oldest, ...older, ...current].map((l) => l.line);
    expect(lines).toEqual(Array.from({ length: lines.length }, (_, i) => oldest[0]!.line + i));
  });

  it('creates the file 0600 in a 0700 folder, tightening a folder and file that were more open', () => {
    const dir = path.join(t.dir, 'modes', 'logs');
    const first = openLogFile({ dir, name: 'serve.log' });
    first.write('{"message":"one"}');
    first.close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, 'serve.log')).mode & 0o777).toBe(0o600);

    const loose = path.join(t.dir, 'loose');
    mkdirSync(loose, { mode: 0o755 });
    chmodSync(loose, 0o755);
    writeFileSync(path.join(loose, 'serve.log'), 'old\n', { mode: 0o644 });
    const reopened = openLogFile({ dir: loose, name: 'serve.log' });
    reopened.write('new');
    reopened.close();
    expect(statSync(loose).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(loose, 'serve.log')).mode & 0o777).toBe(0o600);
    // Appends: what was there stays.
    expect(readFileSync(path.join(loose, 'serve.log'), 'utf8')).toBe('old\nnew\n');
  });

  it('writes a line longer than the limit whole, in a file of its own', () => {
    const dir = path.join(t.dir, 'long');
    const file = openLogFile({ dir, name: 'a.log', maxBytes: 100, keep: 1 });
    file.write('short');
    const long = 'y'.repeat(500);
    file.write(long);
    file.write('after');
    file.close();
    expect(readdirSync(dir).sort()).toEqual(['a.log', 'a.log.1']);
    expect(readFileSync(path.join(dir, 'a.log.1'), 'utf8')).toBe(`${long}\n`);
    expect(readFileSync(path.join(dir, 'a.log'), 'utf8')).toBe('after\n');
    // Writing after close is ignored rather than reopening the file.
    file.write('late');
    expect(readFileSync(path.join(dir, 'a.log'), 'utf8')).toBe('after\n');
  });

  it('keeps no old file when told to keep none', () => {
    const dir = path.join(t.dir, 'none');
    const file = openLogFile({ dir, name: 'a.log', maxBytes: 10, keep: 0 });
    file.write('first line');
    file.write('second line');
    file.close();
    expect(readdirSync(dir)).toEqual(['a.log']);
    expect(readFileSync(path.join(dir, 'a.log'), 'utf8')).toBe('second line\n');
  });
});
