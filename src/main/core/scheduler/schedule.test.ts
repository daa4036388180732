import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { assertSchedule, describeSchedule } from './schedule';

const refusal = (schedule: string): AppError | null => {
  try {
    assertSchedule({ schedule, timezone: 'UTC' });
    return null;
  } catch (error) {
    return error as AppError;
  }
};

describe('a schedule that never fires', () => {
  it('is refused under the schedule field, in words, whatever day no month has it names', () => {
    for (const schedule of ['0 2 30 2 *', '0 2 31 4 *', '0 0 31 2,4,6 *', '0 0 0 31 11 *']) {
      const error = refusal(schedule);
      expect(error, schedule).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'schedule' } });
      expect(error!.message).toMatch(/^This schedule never fires: ".+" \(.+\) matches no date in any year/);
    }
    expect(refusal('0 2 30 2 *')!.message).toBe(
      'This schedule never fires: "0 2 30 2 *" (At 02:00, on day 30 of the month, only in February) matches no date in any year, as its day-of-month and month fields name a day no such month has (30 or 31 February, 31 April, June, September or November). Check those two fields.',
    );
  });

  it('is not confused with a rare one: 29 February fires in leap years, 30 February on Mondays (day-of-week or day-of-month) fires every Monday in February', () => {
    expect(refusal('0 2 29 2 *')).toBeNull();
    expect(refusal('0 2 30 2 1')).toBeNull();
    expect(refusal('0 2 * * *')).toBeNull();
  });

  it('saved before such schedules were refused, reads "never fires" rather than a dangling "next:"', () => {
    expect(describeSchedule({ schedule: '0 2 30 2 *', timezone: 'UTC' }, new Date('2026-12-05T00:00:00Z')).summary).toBe('At 02:00, on day 30 of the month, only in February (UTC); never fires: no date matches it');
  });
});
