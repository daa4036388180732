import { describe, expect, it } from 'vitest';
import { inputSchemas } from '../../../shared/ipc/input-schemas';
import { AppError } from '../../../shared/ipc/result';
import { placeErrors, secretChange } from './form-errors';

/** The core reports schema failures as VALIDATION_FAILED with one issue per field path. */
function validationError(channel: keyof typeof inputSchemas, input: unknown): AppError {
  const parsed = inputSchemas[channel].safeParse(input);
  if (parsed.success) throw new Error('expected the input to be refused');
  const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  return new AppError('VALIDATION_FAILED', 'Invalid input', { field: issues[0]!.path, issues });
}

const identity = (path: string): string => path;

describe('placeErrors', () => {
  it("puts each schema issue under its field, as a sentence", () => {
    const error = validationError('destinations:create', { kind: 'local', name: 'ab', path: 'relative/dir' });
    expect(placeErrors(error, identity)).toEqual({
      fields: { name: 'Must be 3-30 characters', path: 'Must be an absolute path' },
      general: null,
    });
  });

  it('maps nested paths through the form mapping and keeps the first message per field', () => {
    const error = new AppError('VALIDATION_FAILED', 'Invalid input', {
      issues: [
        { path: 'ssh.port', message: 'too big' },
        { path: 'ssh.port', message: 'second' },
        { path: 'destinationIds.1', message: 'must be an id (UUID)' },
      ],
    });
    const fieldFor = (p: string): string | null => ({ 'ssh.port': 'sshPort', 'destinationIds.1': 'destinationIds' })[p] ?? null;
    expect(placeErrors(error, fieldFor).fields).toEqual({ sshPort: 'Too big', destinationIds: 'Must be an id (UUID)' });
  });

  it('puts a core rule error with details.field under that field (NAME_TAKEN)', () => {
    const error = new AppError('NAME_TAKEN', 'A destination named "nas" already exists. Choose another name.', { field: 'name' });
    expect(placeErrors(error, identity)).toEqual({ fields: { name: 'A destination named "nas" already exists. Choose another name.' }, general: null });
  });

  it("keeps the core's own words as written: a name they begin with keeps its case", () => {
    const tooLong = new AppError('VALIDATION_FAILED', 'shop_copy_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx is longer than the 63 bytes PostgreSQL allows for a database name.', { field: 'database' });
    expect(placeErrors(tooLong, identity).fields).toEqual({ database: tooLong.message });
    expect(placeErrors(tooLong, () => null).general).toBe(tooLong.message);
    const refused = new AppError('VALIDATION_FAILED', 'template1 is the template of every new database, so Vaultdesk does not restore into it.');
    expect(placeErrors(refused, identity).general).toBe(refused.message);
  });

  it('sends what no field can show to the general message', () => {
    const inUse = new AppError('IN_USE', 'Source "crm" is used by "nightly". Delete or change those jobs first.', { jobs: ['nightly'] });
    expect(placeErrors(inUse, identity)).toEqual({ fields: {}, general: 'Source "crm" is used by "nightly". Delete or change those jobs first.' });
    const unplaced = new AppError('VALIDATION_FAILED', 'x', { issues: [{ path: 'retention.daily', message: 'too small' }, { path: '', message: 'invalid input' }] });
    expect(placeErrors(unplaced, () => null).general).toBe('Retention.daily: too small Invalid input');
  });
});

describe('secretChange', () => {
  it('keeps on blank, replaces on a value, removes on clear', () => {
    expect(secretChange('', false)).toBeUndefined();
    expect(secretChange(' spaced secret ', false)).toBe(' spaced secret ');
    expect(secretChange('typed', true)).toBeNull();
    expect(secretChange('', true)).toBeNull();
  });
});
