import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../../../shared/ipc/result';
import { codeInWords, ERROR_HEADLINES, errorHeadline } from './error-words';

/** Codes whose words already make the headline a DBA reads best: chosen so, not fallen back to. */
const CODE_IS_THE_HEADLINE = new Set<ErrorCode>(['DESTINATION_LOCKED', 'DESTINATION_UNREACHABLE', 'MASTER_KEY_MISSING', 'DUMP_FAILED', 'RESTORE_FAILED', 'RUN_FAILED', 'CANCELLED']);

describe('errorHeadline', () => {
  it('gives every error code a headline of its own, not the code in words', () => {
    expect(Object.keys(ERROR_HEADLINES).sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) {
      expect(errorHeadline(code), code).toBe(ERROR_HEADLINES[code]);
      expect(errorHeadline(code).trim(), code).not.toBe('');
      if (!CODE_IS_THE_HEADLINE.has(code)) expect(errorHeadline(code).toLowerCase(), code).not.toBe(codeInWords(code).toLowerCase());
    }
    // Two codes with one headline would read as one problem.
    expect(new Set(ERROR_CODES.map(errorHeadline)).size).toBe(ERROR_CODES.length);
  });

  it('reads a code this build does not know (a newer core, an old record) as words', () => {
    expect(errorHeadline('SOME_NEW_CODE')).toBe('Some new code');
    expect(errorHeadline('toString')).toBe('Tostring');
    expect(errorHeadline('')).toBe('Error');
  });
});
