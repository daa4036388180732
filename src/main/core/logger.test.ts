import { describe, expect, it } from 'vitest';
import { jsonLogger, sentenceLogger, teeLogger } from './logger';

describe('jsonLogger', () => {
  it('writes one JSON line per call at or above its level, and a field cannot replace the time, level or message', () => {
    const lines: string[] = [];
    const log = jsonLogger((line) => lines.push(line), 'info');
    log.debug('not written');
    log.error('Vaultdesk could not start', { message: 'a field', level: 'debug', code: 'MASTER_KEY_UNAVAILABLE' });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(line)).toEqual(['time', 'level', 'message', 'code']);
    expect(line).toMatchObject({ level: 'error', message: 'Vaultdesk could not start', code: 'MASTER_KEY_UNAVAILABLE' });
  });
});

describe('teeLogger', () => {
  it('sends each line to every logger, each at its own level', () => {
    const stderr: string[] = [];
    const file: string[] = [];
    const log = teeLogger(jsonLogger((l) => stderr.push(l), 'warn'), jsonLogger((l) => file.push(l), 'info'));
    log.info('run finished');
    log.warn('destination slow');
    expect(stderr.map((l) => JSON.parse(l).message)).toEqual(['destination slow']);
    expect(file.map((l) => JSON.parse(l).message)).toEqual(['run finished', 'destination slow']);
  });
});

describe('sentenceLogger', () => {
  it('writes warnings and errors as sentences, each distinct one once, and nothing below warn', () => {
    const lines: string[] = [];
    const log = sentenceLogger((line) => lines.push(line));
    log.info('run finished');
    log.debug('details');
    log.warn('a run was interrupted when its process stopped', { runId: 'r1', job: 'shop', pid: 4242 });
    log.warn('a run was interrupted when its process stopped', { runId: 'r1', job: 'shop', pid: 4242 });
    log.warn('a run was interrupted when its process stopped', { runId: 'r2', job: 'crm', pid: 7 });
    log.error('handler failed', { channel: 'sources:test', error: 'Error: boom\n    at x (y.js:1:1)', details: { nested: true } });
    log.warn('the master key does not match this data dir:', { where: 'key file /k' });
    expect(lines).toEqual([
      'warning: A run was interrupted when its process stopped (run id: r1, job: shop, pid: 4242).\n',
      'warning: A run was interrupted when its process stopped (run id: r2, job: crm, pid: 7).\n',
      'error: Handler failed (channel: sources:test, error: Error: boom).\n',
      'warning: The master key does not match this data dir (where: key file /k).\n',
    ]);
  });
});
