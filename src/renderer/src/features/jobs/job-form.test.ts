import { describe, expect, it } from 'vitest';
import type { DestinationDto, JobDto, ProfileDto } from '../../../../shared/domain/dto';
import { inputSchemas } from '../../../../shared/ipc/input-schemas';
import { defaultEncryption, emptyJobValues, followedDefaults, listDefaults, type ListDefaults, jobValues, toCreateInput, toRetention, toUpdateInput, validateJobValues, type JobFormValues } from './job-form';
import { errorsBySection, firstSectionWithError, jobFieldFor } from './job-form-sections';
import { formatSlot, presetFor, SCHEDULE_PRESETS, timeZones } from './schedule-presets';

const SOURCE = '7d1f0e8a-3a52-4c1e-9a6f-0d2c4b8e9f10';
const DEST = '0b6c9a8e-1f2d-4e3c-8b7a-6d5e4f3a2b1c';
const PROFILE = '5e4f3a2b-1c0d-4e9f-8a7b-6c5d4e3f2a1b';
const JOB = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

function profile(id: string, kind: 'age' | '7z', hasSecret = true): ProfileDto {
  return { id, name: `p-${id.slice(0, 4)}`, kind, recipient: null, extraRecipients: [], hasSecret, jobNames: [], createdAt: '2026-01-01T00:00:00Z', identityExportedAt: null, identityOnlyInVaultdesk: false };
}

/** A job as the core returns it, with every optional field set. */
const SAVED: JobDto = {
  id: JOB,
  name: 'shop-nightly',
  sourceId: SOURCE,
  sourceName: 'shop',
  databases: ['shop', 'audit'],
  allDatabases: false,
  destinationIds: [DEST],
  destinationNames: ['nas'],
  format: 'plain',
  compression: 'gzip',
  compressionLevel: 9,
  encryption: 'age',
  profileId: PROFILE,
  profileName: 'team',
  schedule: '0 3 * * 0',
  timezone: 'Europe/Paris',
  timeoutMinutes: 90,
  prefix: '{environment}/{job}/',
  retention: { keepLast: 3, daily: 7, weekly: 4, monthly: null, yearly: null, minimum: 2 },
  catchUp: false,
  preHook: { shell: false, argv: ['/usr/local/bin/notify', '--job', 'shop nightly', "it's"] },
  postHook: { shell: true, script: 'pg_isready -q && echo "$VAULTDESK_STATUS" >> /var/log/vd.log' },
  hookTimeoutSeconds: 45,
  hasWebhook: true,
  webhookHost: 'hooks.slack.com/…',
  webhookFormat: 'slack',
  hasHealthchecks: false,
  healthchecksHost: null,
  lastBackupAt: null,
  enabled: false,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

function filled(overrides: Partial<JobFormValues> = {}): JobFormValues {
  return { ...emptyJobValues(DEST, 'Europe/Paris'), name: 'nightly', sourceId: SOURCE, ...overrides };
}

describe('job form: new jobs', () => {
  it('pre-fills the default destination, the time zone, catch-up and the hook time limit', () => {
    const v = emptyJobValues(DEST, 'Europe/Paris');
    expect(v).toMatchObject({ destinationIds: [DEST], timezone: 'Europe/Paris', catchUp: true, enabled: true, hookTimeoutSeconds: 300 });
    expect(emptyJobValues(null, 'UTC').destinationIds).toEqual([]);
  });

  it('pre-selects the only profile, prefers age, and leaves None only when no usable profile exists', () => {
    expect(defaultEncryption([])).toEqual({ encryption: 'none', profileId: '' });
    expect(defaultEncryption([profile(PROFILE, 'age')])).toEqual({ encryption: 'age', profileId: PROFILE });
    expect(defaultEncryption([profile(PROFILE, '7z')])).toEqual({ encryption: '7z', profileId: PROFILE });
    // Several of a kind: the kind is chosen, the DBA picks which one.
    expect(defaultEncryption([profile(PROFILE, 'age'), profile(SOURCE, 'age'), profile(DEST, '7z')])).toEqual({ encryption: 'age', profileId: '' });
    // A profile whose secret a key reset dropped cannot encrypt anything.
    expect(defaultEncryption([profile(PROFILE, 'age', false)])).toEqual({ encryption: 'none', profileId: '' });
  });

  it('follows the lists while the form shows the defaults it was given, and never overwrites a choice', () => {
    const none = { destinationIds: [], encryption: 'none', profileId: '' } as ListDefaults;
    const age = { encryption: 'age', profileId: PROFILE } as const;
    // The profile list caught up with a profile made just before the form opened.
    expect(followedDefaults(none, none, { ...none, ...age })).toEqual(age);
    // Nothing changed that matters: nothing to set.
    expect(followedDefaults({ ...none, ...age }, { ...none, ...age }, { ...none, ...age })).toBeNull();
    // The DBA chose 7-Zip: a new age profile does not take it back, while a new default destination is still taken.
    const chose7z = { ...none, encryption: '7z', profileId: SOURCE } as ListDefaults;
    expect(followedDefaults(chose7z, none, { ...none, ...age, destinationIds: [DEST] })).toEqual({ destinationIds: [DEST] });
    // The DBA picked destinations: a new default does not change them.
    expect(followedDefaults({ ...none, destinationIds: [SOURCE] }, none, { ...none, destinationIds: [DEST] })).toBeNull();
    // The only profile was deleted: the form no longer names it.
    expect(followedDefaults({ ...none, ...age }, { ...none, ...age }, none)).toEqual({ encryption: 'none', profileId: '' });
    // listDefaults reads the same defaults as a new job's values.
    expect(listDefaults([{ id: DEST, isDefault: true } as DestinationDto], [profile(PROFILE, 'age')])).toEqual({ destinationIds: [DEST], ...age });
  });

  it('sends a time zone only with a schedule, a profile only with encryption, and passes the contract', () => {
    const manual = toCreateInput(filled({ profileId: PROFILE }));
    expect(manual).toMatchObject({ schedule: null, timezone: null, profileId: null, encryption: 'none', retention: null, preHook: null, postHook: null });
    expect(manual).not.toHaveProperty('webhookUrl');
    expect(inputSchemas['jobs:create'].safeParse(manual).success).toBe(true);
    const scheduled = toCreateInput(filled({ schedule: ' 0 3 * * * ', encryption: 'age', profileId: PROFILE, timeoutMinutes: 90, webhookUrl: ' https://hooks.example/T/B/x ' }));
    expect(scheduled).toMatchObject({ schedule: '0 3 * * *', timezone: 'Europe/Paris', profileId: PROFILE, timeoutMinutes: 90, webhookUrl: 'https://hooks.example/T/B/x' });
    expect(inputSchemas['jobs:create'].safeParse(scheduled).success).toBe(true);
    // A blank time zone is "the machine's": null, not an empty name.
    expect(toCreateInput(filled({ schedule: '0 3 * * *', timezone: '' })).timezone).toBeNull();
  });

  it('drops the database list when all databases are chosen', () => {
    const v = filled({ databases: ['a', ' ', 'b '] });
    expect(toCreateInput(v).databases).toEqual(['a', 'b']);
    expect(toCreateInput({ ...v, allDatabases: true }).databases).toEqual([]);
  });
});

describe('job form: editing a saved job', () => {
  it('shows every saved field, with the write-only URLs blank', () => {
    const v = jobValues(SAVED);
    expect(v).toMatchObject({
      schedule: '0 3 * * 0',
      timezone: 'Europe/Paris',
      catchUp: false,
      enabled: false,
      retention: { keepLast: 3, daily: 7, weekly: 4, monthly: '', yearly: '', minimum: 2 },
      preHook: `/usr/local/bin/notify --job 'shop nightly' "it's"`,
      preHookShell: false,
      postHook: SAVED.postHook && 'script' in SAVED.postHook ? SAVED.postHook.script : '',
      postHookShell: true,
      hookTimeoutSeconds: 45,
      webhookUrl: '',
      removeWebhook: false,
      webhookFormat: 'slack',
      compressionLevel: 9,
      prefix: '{environment}/{job}/',
    });
  });

  it('saving it unchanged sends back what is stored (hooks split the same way) and leaves the URLs alone', () => {
    const input = toUpdateInput(SAVED, jobValues(SAVED));
    expect(inputSchemas['jobs:update'].safeParse(input).success).toBe(true);
    expect(input).toEqual({
      id: JOB,
      name: 'shop-nightly',
      sourceId: SOURCE,
      destinationIds: [DEST],
      databases: ['shop', 'audit'],
      allDatabases: false,
      format: 'plain',
      compression: 'gzip',
      compressionLevel: 9,
      encryption: 'age',
      profileId: PROFILE,
      schedule: '0 3 * * 0',
      timezone: 'Europe/Paris',
      catchUp: false,
      enabled: false,
      timeoutMinutes: 90,
      prefix: '{environment}/{job}/',
      retention: SAVED.retention,
      preHook: SAVED.preHook,
      postHook: SAVED.postHook,
      hookTimeoutSeconds: 45,
      webhookFormat: 'slack',
    });
  });

  it('removes or replaces a stored URL only when asked', () => {
    const base = jobValues(SAVED);
    expect(toUpdateInput(SAVED, { ...base, removeWebhook: true }).webhookUrl).toBeNull();
    expect(toUpdateInput(SAVED, { ...base, webhookUrl: 'https://hooks.slack.com/services/new' }).webhookUrl).toBe('https://hooks.slack.com/services/new');
    expect(toUpdateInput(SAVED, { ...base, healthchecksUrl: 'https://hc-ping.com/abc' }).healthchecksUrl).toBe('https://hc-ping.com/abc');
    expect(toUpdateInput(SAVED, base)).not.toHaveProperty('healthchecksUrl');
  });

  it('turning the schedule off sends no time zone; clearing hooks sends null', () => {
    const input = toUpdateInput(SAVED, { ...jobValues(SAVED), schedule: '  ', preHook: '', postHook: ' ' });
    expect(input).toMatchObject({ schedule: null, timezone: null, preHook: null, postHook: null });
    expect(inputSchemas['jobs:update'].safeParse(input).success).toBe(true);
  });
});

describe('retention fields', () => {
  it('no keep rule means no policy (every backup kept); a blank floor is the default 1', () => {
    expect(toRetention({ keepLast: '', daily: '', weekly: '', monthly: '', yearly: '', minimum: 5 })).toBeNull();
    expect(toRetention({ keepLast: '', daily: 7, weekly: '', monthly: 12, yearly: '', minimum: '' })).toEqual({ keepLast: null, daily: 7, weekly: null, monthly: 12, yearly: null, minimum: 1 });
    expect(toRetention({ keepLast: 2, daily: '', weekly: '', monthly: '', yearly: '', minimum: 0 })).toMatchObject({ keepLast: 2, minimum: 0 });
  });
});

describe('checks before saving', () => {
  it('says "Choose a source" rather than the contract\'s "must be an id"', () => {
    const errors = validateJobValues({ ...emptyJobValues(null, 'UTC'), name: 'x' });
    expect(errors).toEqual({ sourceId: 'Choose a source', destinationIds: 'Choose at least one destination' });
    expect(validateJobValues(filled({ encryption: 'age', profileId: '' }))).toEqual({ profileId: 'Choose an encryption profile, or set Encryption to None' });
    expect(validateJobValues(filled())).toEqual({});
    expect(validateJobValues(filled({ name: '  ' }))).toEqual({ name: 'Give the job a name: letters, digits, dot, dash or underscore' });
  });

  it('refuses a hook that needs a shell, naming the switch, and takes it once the switch is on', () => {
    const errors = validateJobValues(filled({ preHook: 'pg_isready | logger', postHook: 'echo $HOME' }));
    expect(errors.preHook).toBe('This command cannot run without a shell: it uses the shell operator |: turn on "Run with a shell", or put it in a script.');
    expect(errors.postHook).toBe('This command cannot run without a shell: it uses the shell variable $HOME: turn on "Run with a shell", or write the value out.');
    expect(validateJobValues(filled({ preHook: 'pg_isready | logger', preHookShell: true, postHook: 'echo $HOME', postHookShell: true }))).toEqual({});
    expect(validateJobValues(filled({ preHook: '~/bin/prep.sh' })).preHook).toBe(
      'This command cannot run without a shell: ~/bin/prep.sh starts with ~, which only a shell turns into a home folder, that of the user the job runs as: write the full path, or turn on "Run with a shell".',
    );
  });

  it('refuses a quote never closed, which no shell would run either', () => {
    expect(validateJobValues(filled({ postHook: '/bin/echo "unterminated' })).postHook).toBe(
      'This command cannot be run as written: the " before unterminated is never closed, and a shell would refuse the line too: close it, or write \\" where a " is part of an argument.',
    );
    expect(toCreateInput(filled({ preHook: 'pg_isready | logger', preHookShell: true })).preHook).toEqual({ shell: true, script: 'pg_isready | logger' });
  });
});

describe('form sections', () => {
  it('places contract paths under their fields', () => {
    expect(jobFieldFor('sourceId')).toBe('sourceId');
    expect(jobFieldFor('destinationIds.0')).toBe('destinationIds');
    expect(jobFieldFor('retention.daily')).toBe('retention.daily');
    expect(jobFieldFor('preHook.argv.0')).toBe('preHook');
    expect(jobFieldFor('webhookUrl')).toBe('webhookUrl');
    expect(jobFieldFor('retention')).toBeNull();
    expect(jobFieldFor('id')).toBeNull();
  });

  it('counts errors per section and finds the first one in tab order', () => {
    const errors = { 'retention.daily': 'Too small', webhookUrl: 'Must be an http:// or https:// URL', schedule: 'not cron' };
    expect(errorsBySection(errors)).toEqual({ when: 1, keep: 1, hooks: 1 });
    expect(firstSectionWithError(errors)).toBe('when');
    expect(firstSectionWithError({})).toBeNull();
  });
});

describe('schedule presets and times', () => {
  it('recognises each preset whatever the spacing, and anything else as custom', () => {
    for (const p of SCHEDULE_PRESETS) expect(presetFor(p.cron)).toBe(p.id);
    expect(presetFor('  30   1 * *  1-5 ')).toBe('weekdays');
    expect(presetFor('')).toBe('manual');
    expect(presetFor('15 4 * * *')).toBe('custom');
  });

  it('shows a run in the schedule\'s time zone', () => {
    // 01:00 UTC on 1 Dec 2026 is 02:00 in Paris (winter time).
    expect(formatSlot('2026-12-01T01:00:00.000Z', 'Europe/Paris', 'en-GB')).toBe('Tue, 1 Dec 2026, 02:00');
    expect(formatSlot('2026-12-01T01:00:00.000Z', 'America/New_York', 'en-GB')).toBe('Mon, 30 Nov 2026, 20:00');
  });

  it('lists each time zone once, the local one first', () => {
    for (const local of ['UTC', 'Europe/Paris']) {
      const zones = timeZones(local);
      expect(zones[0]).toBe(local);
      expect(new Set(zones).size).toBe(zones.length);
      expect(zones).toContain('UTC');
    }
  });
});
