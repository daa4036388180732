import { describe, expect, it } from 'vitest';
import { jsonLogger, teeLogger } from './logger';

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
