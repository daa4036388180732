import { describe, expect, it } from 'vitest';
import type { RetentionPolicy } from '../../../shared/domain/dto';
import { calendarPeriods, isoWeek } from './calendar-periods';
import { applyRetentionPolicy, type RetentionCandidate } from './retention-policy';

interface Backup extends RetentionCandidate {
  createdAt: string;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

const policy = (p: Partial<RetentionPolicy>): RetentionPolicy => ({ keepLast: null, daily: null, weekly: null, monthly: null, yearly: null, minimum: 0, ...p });

/** One backup per step from `from` up to and including `to` (ISO instants). */
function every(stepMs: number, from: string, to: string, database = 'shop'): Backup[] {
  const out: Backup[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += stepMs) out.push(backup(new Date(t).toISOString(), database));
  return out;
}

function backup(createdAt: string, database = 'shop', pinned = false): Backup {
  return { key: `${database}/${createdAt}`, database, createdAt, pinned };
}

const pin = (list: Backup[], ...instants: string[]): Backup[] => list.map((b) => (instants.includes(b.createdAt) ? { ...b, pinned: true } : b));

/** The kept backups' instants, newest first. */
const kept = (list: Backup[], p: RetentionPolicy | null, tz: string): string[] =>
  applyRetentionPolicy(list, p, tz)
    .filter((d) => d.action === 'keep')
    .map((d) => d.backup.createdAt);

const reasonsOf = (list: Backup[], p: RetentionPolicy | null, tz: string): Record<string, string[]> =>
  Object.fromEntries(applyRetentionPolicy(list, p, tz).map((d) => [d.backup.createdAt, d.reasons]));

const at = (date: string, time = '02:00:00'): string => `${date}T${time}.000Z`;

interface Case {
  name: string;
  history: Backup[];
  policy: RetentionPolicy | null;
  tz: string;
  /** Exactly these are kept (newest first), everything else deleted. */
  keep: string[];
  /** Reasons of some of them, exactly. */
  reasons?: Record<string, string[]>;
}

const threeYears = every(DAY, at('2024-01-01'), at('2026-12-31'));

const CASES: Case[] = [
  {
    name: 'three years of daily backups, GFS 7/4/12/3 (UTC)',
    history: threeYears,
    policy: policy({ daily: 7, weekly: 4, monthly: 12, yearly: 3, minimum: 1 }),
    tz: 'UTC',
    keep: [
      // 7 days; 2026-12-31 is a Thursday in ISO week 2026-W53, 27 and 20 and 13 end the weeks before.
      ...['31', '30', '29', '28', '27', '26', '25'].map((d) => at(`2026-12-${d}`)),
      at('2026-12-20'),
      at('2026-12-13'),
      ...['11-30', '10-31', '09-30', '08-31', '07-31', '06-30', '05-31', '04-30', '03-31', '02-28', '01-31'].map((d) => at(`2026-${d}`)),
      at('2025-12-31'),
      at('2024-12-31'),
    ],
    reasons: {
      [at('2026-12-31')]: ['daily 2026-12-31', 'weekly 2026-W53', 'monthly 2026-12', 'yearly 2026', 'minimum'],
      [at('2026-12-27')]: ['daily 2026-12-27', 'weekly 2026-W52'],
      [at('2026-12-20')]: ['weekly 2026-W51'],
      [at('2026-01-31')]: ['monthly 2026-01'],
      [at('2024-12-31')]: ['yearly 2024'],
      [at('2026-12-24')]: [],
    },
  },
  {
    name: 'more years asked than there are: the oldest backup is kept too ("oldest yearly")',
    history: threeYears,
    policy: policy({ yearly: 5 }),
    tz: 'UTC',
    keep: [at('2026-12-31'), at('2025-12-31'), at('2024-12-31'), at('2024-01-01')],
    reasons: { [at('2024-01-01')]: ['oldest yearly 2024'], [at('2024-12-31')]: ['yearly 2024'] },
  },
  {
    // restic's own example: one backup every Sunday for 12 weeks, --keep-daily 4.
    name: 'gaps: only days with a backup count (weekly backups, keep-daily 4)',
    history: every(7 * DAY, '2019-09-01T11:00:00.000Z', '2019-11-17T11:00:00.000Z'),
    policy: policy({ daily: 4 }),
    tz: 'UTC',
    keep: ['2019-11-17', '2019-10-27', '2019-11-10', '2019-11-03'].map((d) => `${d}T11:00:00.000Z`).sort().reverse(),
  },
  {
    name: 'a job that stopped two months ago keeps its last backups: periods are not counted back from now',
    history: [...every(DAY, at('2026-01-01'), at('2026-03-10'))],
    policy: policy({ daily: 3, weekly: 2 }),
    tz: 'UTC',
    // 2026-03-10 is a Tuesday (W11); 03-08 is the Sunday ending W10.
    keep: [at('2026-03-10'), at('2026-03-09'), at('2026-03-08')],
    reasons: { [at('2026-03-08')]: ['daily 2026-03-08', 'weekly 2026-W10'] },
  },
  {
    name: 'hourly backups: the last one of each day; with fewer days than asked the oldest backup is kept too',
    history: every(HOUR, '2026-06-01T00:00:00.000Z', '2026-06-02T23:00:00.000Z'),
    policy: policy({ daily: 3 }),
    tz: 'UTC',
    keep: ['2026-06-02T23:00:00.000Z', '2026-06-01T23:00:00.000Z', '2026-06-01T00:00:00.000Z'],
    reasons: { '2026-06-01T00:00:00.000Z': ['oldest daily 2026-06-01'] },
  },
  {
    name: 'keep-last and a daily rule together: a backup kept by both says so',
    history: every(12 * HOUR, at('2026-05-01', '00:00:00'), at('2026-05-04', '12:00:00')),
    policy: policy({ keepLast: 3, daily: 2 }),
    tz: 'UTC',
    keep: [at('2026-05-04', '12:00:00'), at('2026-05-04', '00:00:00'), at('2026-05-03', '12:00:00')],
    reasons: {
      [at('2026-05-04', '12:00:00')]: ['last 3', 'daily 2026-05-04'],
      [at('2026-05-04', '00:00:00')]: ['last 3'],
      [at('2026-05-03', '12:00:00')]: ['last 3', 'daily 2026-05-03'],
    },
  },
  {
    name: 'ISO weeks across new year: 2027-01-01..03 still belong to 2026-W53',
    history: every(DAY, at('2026-12-21'), at('2027-01-05')),
    policy: policy({ weekly: 3 }),
    tz: 'UTC',
    keep: [at('2027-01-05'), at('2027-01-03'), at('2026-12-27')],
    reasons: { [at('2027-01-05')]: ['weekly 2027-W01'], [at('2027-01-03')]: ['weekly 2026-W53'], [at('2026-12-27')]: ['weekly 2026-W52'] },
  },
];

// Two backups a day, at 12:00 and 23:30 UTC: in Paris (UTC+1 in winter) the 23:30 one is
// 00:30 of the next day, so each Paris day ends with the 12:00 backup instead.
const twiceADay = [...every(DAY, at('2026-01-10', '12:00:00'), at('2026-01-14', '12:00:00')), ...every(DAY, at('2026-01-10', '23:30:00'), at('2026-01-14', '23:30:00'))];
CASES.push(
  {
    name: 'UTC days: the 23:30 backup ends each day',
    history: twiceADay,
    policy: policy({ daily: 3 }),
    tz: 'UTC',
    keep: [at('2026-01-14', '23:30:00'), at('2026-01-13', '23:30:00'), at('2026-01-12', '23:30:00')],
  },
  {
    name: 'Paris days: 23:30 UTC is past midnight, so the 12:00 backup ends each Paris day',
    history: twiceADay,
    policy: policy({ daily: 3 }),
    tz: 'Europe/Paris',
    keep: [at('2026-01-14', '23:30:00'), at('2026-01-14', '12:00:00'), at('2026-01-13', '12:00:00')],
    reasons: { [at('2026-01-14', '23:30:00')]: ['daily 2026-01-15'], [at('2026-01-14', '12:00:00')]: ['daily 2026-01-14'] },
  },
  {
    name: 'Los Angeles days (UTC-8): the 12:00 UTC backup is 04:00 the same day, 23:30 is 15:30 the same day',
    history: twiceADay,
    policy: policy({ daily: 2 }),
    tz: 'America/Los_Angeles',
    keep: [at('2026-01-14', '23:30:00'), at('2026-01-13', '23:30:00')],
    reasons: { [at('2026-01-14', '23:30:00')]: ['daily 2026-01-14'] },
  },
  {
    name: 'Auckland (UTC+13): 2026-01-11 12:00 UTC is Monday the 12th there, a new ISO week',
    history: twiceADay,
    policy: policy({ weekly: 3 }),
    tz: 'Pacific/Auckland',
    // In Auckland every backup here falls on 11..15 January: 2026-01-11 (Sun) is W02, the rest W03.
    keep: [at('2026-01-14', '23:30:00'), at('2026-01-10', '23:30:00'), at('2026-01-10', '12:00:00')],
    reasons: { [at('2026-01-10', '23:30:00')]: ['weekly 2026-W02'], [at('2026-01-10', '12:00:00')]: ['oldest weekly 2026-W02'] },
  },
  {
    // Berlin springs forward on 2026-03-29 (02:00 -> 03:00, a 23-hour day) and falls back on
    // 2026-10-25 (a 25-hour day): each is one day, ending at 23:00 local.
    name: 'DST days in Berlin: a 23-hour and a 25-hour day are one day each',
    history: [...every(HOUR, '2026-03-27T22:00:00.000Z', '2026-03-30T21:00:00.000Z'), ...every(HOUR, '2026-10-24T21:00:00.000Z', '2026-10-26T22:00:00.000Z')],
    policy: policy({ daily: 6 }),
    tz: 'Europe/Berlin',
    keep: ['2026-10-26T22:00:00.000Z', '2026-10-25T22:00:00.000Z', '2026-10-24T21:00:00.000Z', '2026-03-30T21:00:00.000Z', '2026-03-29T21:00:00.000Z', '2026-03-28T22:00:00.000Z'],
    reasons: {
      // 23:00 CET: with summer time's offset it would be the 27th already.
      '2026-10-26T22:00:00.000Z': ['daily 2026-10-26'],
      '2026-10-25T22:00:00.000Z': ['daily 2026-10-25'],
      '2026-10-24T21:00:00.000Z': ['daily 2026-10-24'],
      '2026-03-29T21:00:00.000Z': ['daily 2026-03-29'],
    },
  },
  {
    name: 'pinned backups are always kept and do not count: keep-last 2 keeps two unpinned ones besides',
    history: pin(every(DAY, at('2026-02-01'), at('2026-02-10')), at('2026-02-10'), at('2026-02-02')),
    policy: policy({ keepLast: 2 }),
    tz: 'UTC',
    keep: [at('2026-02-10'), at('2026-02-09'), at('2026-02-08'), at('2026-02-02')],
    reasons: { [at('2026-02-10')]: ['pinned'], [at('2026-02-09')]: ['last 2'], [at('2026-02-02')]: ['pinned'] },
  },
  {
    name: 'the minimum floor keeps the newest backups whatever the rules say',
    history: every(HOUR, '2026-04-01T00:00:00.000Z', '2026-04-01T05:00:00.000Z'),
    policy: policy({ daily: 1, minimum: 3 }),
    tz: 'UTC',
    keep: ['2026-04-01T05:00:00.000Z', '2026-04-01T04:00:00.000Z', '2026-04-01T03:00:00.000Z'],
    reasons: { '2026-04-01T05:00:00.000Z': ['daily 2026-04-01', 'minimum'], '2026-04-01T04:00:00.000Z': ['minimum'] },
  },
  {
    name: 'the floor counts unpinned backups only',
    history: pin(every(DAY, at('2026-04-01'), at('2026-04-05')), at('2026-04-05')),
    policy: policy({ keepLast: 1, minimum: 2 }),
    tz: 'UTC',
    keep: [at('2026-04-05'), at('2026-04-04'), at('2026-04-03')],
    reasons: { [at('2026-04-05')]: ['pinned'], [at('2026-04-04')]: ['last 1', 'minimum'], [at('2026-04-03')]: ['minimum'] },
  },
  {
    name: 'a floor larger than the history keeps everything',
    history: every(DAY, at('2026-04-01'), at('2026-04-03')),
    policy: policy({ keepLast: 1, minimum: 10 }),
    tz: 'UTC',
    keep: [at('2026-04-03'), at('2026-04-02'), at('2026-04-01')],
  },
  {
    name: 'a policy of all nulls keeps everything',
    history: pin(every(DAY, at('2026-04-01'), at('2026-04-03')), at('2026-04-01')),
    policy: policy({ minimum: 0 }),
    tz: 'UTC',
    keep: [at('2026-04-03'), at('2026-04-02'), at('2026-04-01')],
    reasons: { [at('2026-04-03')]: ['no retention rules'], [at('2026-04-01')]: ['pinned'] },
  },
  {
    name: 'no policy keeps everything',
    history: every(DAY, at('2026-04-01'), at('2026-04-03')),
    policy: null,
    tz: 'UTC',
    keep: [at('2026-04-03'), at('2026-04-02'), at('2026-04-01')],
  },
  {
    name: 'nothing to decide on an empty history',
    history: [],
    policy: policy({ keepLast: 1 }),
    tz: 'UTC',
    keep: [],
  },
);

describe('retention policy (restic forget rules, per database, in the job time zone)', () => {
  it.each(CASES)('$name', ({ history, policy: p, tz, keep, reasons }) => {
    expect(kept(history, p, tz)).toEqual(keep);
    if (reasons) expect(reasonsOf(history, p, tz)).toMatchObject(reasons);
    // The input order does not matter.
    expect(kept([...history].reverse(), p, tz)).toEqual(keep);
  });

  it('applies the policy to each database on its own', () => {
    const history = [...every(DAY, at('2026-05-01'), at('2026-05-05'), 'shop'), ...every(DAY, at('2026-05-01'), at('2026-05-03'), 'crm')];
    const decisions = applyRetentionPolicy(history, policy({ keepLast: 2 }), 'UTC');
    expect(decisions.map((d) => [d.backup.database, d.backup.createdAt.slice(0, 10), d.action])).toEqual([
      ['crm', '2026-05-03', 'keep'],
      ['crm', '2026-05-02', 'keep'],
      ['crm', '2026-05-01', 'delete'],
      ['shop', '2026-05-05', 'keep'],
      ['shop', '2026-05-04', 'keep'],
      ['shop', '2026-05-03', 'delete'],
      ['shop', '2026-05-02', 'delete'],
      ['shop', '2026-05-01', 'delete'],
    ]);
  });

  it('refuses a time zone that does not exist, in words', () => {
    expect(() => applyRetentionPolicy(threeYears.slice(0, 2), policy({ daily: 1 }), 'Mars/Olympus')).toThrow(/"Mars\/Olympus" is not a time zone/);
  });
});

describe('calendar periods', () => {
  it.each([
    ['2026-11-29T12:00:00Z', 'UTC', { daily: '2026-11-29', weekly: '2026-W48', monthly: '2026-11', yearly: '2026' }],
    ['2020-12-31T12:00:00Z', 'UTC', { daily: '2020-12-31', weekly: '2020-W53', monthly: '2020-12', yearly: '2020' }],
    ['2021-01-03T12:00:00Z', 'UTC', { daily: '2021-01-03', weekly: '2020-W53', monthly: '2021-01', yearly: '2021' }],
    ['2024-12-30T12:00:00Z', 'UTC', { daily: '2024-12-30', weekly: '2025-W01', monthly: '2024-12', yearly: '2024' }],
    // New Year's Eve 20:00 in New York is already next year in UTC, and in Tokyo.
    ['2027-01-01T01:00:00Z', 'America/New_York', { daily: '2026-12-31', weekly: '2026-W53', monthly: '2026-12', yearly: '2026' }],
    ['2026-12-31T16:00:00Z', 'Asia/Tokyo', { daily: '2027-01-01', weekly: '2026-W53', monthly: '2027-01', yearly: '2027' }],
    // Half-hour offsets: 18:45 UTC is 00:15 the next day in Kolkata.
    ['2026-06-30T18:45:00Z', 'Asia/Kolkata', { daily: '2026-07-01', weekly: '2026-W27', monthly: '2026-07', yearly: '2026' }],
  ])('%s in %s', (instant, tz, expected) => {
    expect(calendarPeriods(new Date(instant), tz)).toEqual(expected);
  });

  it('ISO weeks match a day-by-day count for 30 years', () => {
    // Counted the other way: week 1 is the week holding 4 January, so a Monday from 29 December
    // to 4 January starts week 1 of the year that 4 January is in; any other Monday the next week.
    let week = 0;
    let weekYear = 0;
    for (let t = Date.UTC(1996, 0, 1); t < Date.UTC(2026, 0, 1); t += DAY) {
      const d = new Date(t);
      if (d.getUTCDay() === 1) {
        const early = d.getUTCMonth() === 0 && d.getUTCDate() <= 4;
        const late = d.getUTCMonth() === 11 && d.getUTCDate() >= 29;
        if (early || late) {
          weekYear = d.getUTCFullYear() + (late ? 1 : 0);
          week = 1;
        } else week += 1;
      }
      expect(isoWeek(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()), d.toISOString()).toEqual({ year: weekYear, week });
    }
  });
});

/** mulberry32: a small seeded generator, so a failing history can be replayed. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The rules written the other way round, as a cross-check: group the unpinned backups by
 * period, keep the newest of each of the n newest periods; with fewer periods than n, the
 * oldest backup too. Then last n, the floor and pins.
 */
function reference(list: Backup[], p: RetentionPolicy, tz: string): Set<string> {
  const unpinned = list.filter((b) => !b.pinned).sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const keep = new Set(list.filter((b) => b.pinned).map((b) => b.createdAt));
  const rules = [p.keepLast, p.daily, p.weekly, p.monthly, p.yearly];
  if (!rules.some((n) => n !== null && n > 0)) return new Set(list.map((b) => b.createdAt));
  unpinned.slice(0, p.keepLast ?? 0).forEach((b) => keep.add(b.createdAt));
  for (const rule of ['daily', 'weekly', 'monthly', 'yearly'] as const) {
    const n = p[rule];
    if (!n) continue;
    const groups = new Map<string, Backup>();
    for (const b of unpinned) {
      const period = calendarPeriods(new Date(b.createdAt), tz)[rule];
      if (!groups.has(period)) groups.set(period, b);
    }
    [...groups.values()].slice(0, n).forEach((b) => keep.add(b.createdAt));
    if (groups.size < n && unpinned.length > 0) keep.add(unpinned[unpinned.length - 1]!.createdAt);
  }
  unpinned.slice(0, p.minimum).forEach((b) => keep.add(b.createdAt));
  return keep;
}

describe('generated histories', () => {
  const zones = ['UTC', 'Europe/Berlin', 'America/Los_Angeles', 'Pacific/Auckland', 'Asia/Kolkata', 'America/St_Johns'];
  it.each(Array.from({ length: 60 }, (_, i) => i + 1))('history #%i agrees with the rules written the other way round', (seed) => {
    const random = seeded(seed);
    const count = 20 + Math.floor(random() * 400);
    let t = Date.parse('2023-01-01T00:00:00Z') + Math.floor(random() * DAY);
    const history: Backup[] = [];
    for (let i = 0; i < count; i++) {
      // Mostly daily, sometimes several a day, sometimes a gap of weeks.
      const r = random();
      t += r < 0.7 ? DAY + Math.floor((random() - 0.5) * 4 * HOUR) : r < 0.9 ? Math.floor(random() * 6 * HOUR) + 60_000 : Math.floor(random() * 40 * DAY) + 60_000;
      history.push({ ...backup(new Date(t).toISOString()), pinned: random() < 0.05 });
    }
    const pick = (max: number): number | null => (random() < 0.35 ? null : 1 + Math.floor(random() * max));
    const p = policy({ keepLast: pick(10), daily: pick(14), weekly: pick(8), monthly: pick(24), yearly: pick(5), minimum: Math.floor(random() * 4) });
    const tz = zones[Math.floor(random() * zones.length)]!;

    const decisions = applyRetentionPolicy(history, p, tz);
    expect(decisions).toHaveLength(history.length);
    expect(new Set(decisions.filter((d) => d.action === 'keep').map((d) => d.backup.createdAt))).toEqual(reference(history, p, tz));
    for (const d of decisions) {
      expect(d.action === 'keep', `${d.backup.createdAt} ${d.action} ${d.reasons.join(', ')}`).toBe(d.reasons.length > 0);
      if (d.backup.pinned) expect(d.reasons).toEqual(['pinned']);
    }
  });
});
