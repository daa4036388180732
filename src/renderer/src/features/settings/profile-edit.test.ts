import { describe, expect, it } from 'vitest';
import type { ProfileDto } from '../../../../shared/domain/dto';
import { inputSchemas } from '../../../../shared/ipc/input-schemas';
import { profileChanges, profileEditValues } from './profile-edit';

const RECIPIENT = 'age1qpvmf6saw7nhrjjdxly6r3srskawlq9u9l0wgxsl5satwr3m8ekqc3xzhc';
const BREAK_GLASS = 'age1zjewqh3ely5gjtsxn2muhxrc8vakp0g8gh3a7pnzkl3u5ez5h9dsk94kfl';

function profile(kind: 'age' | '7z', extraRecipients: string[] = []): ProfileDto {
  return {
    id: '5e4f3a2b-1c0d-4e9f-8a7b-6c5d4e3f2a1b',
    name: 'team',
    kind,
    recipient: kind === 'age' ? RECIPIENT : null,
    extraRecipients,
    hasSecret: true,
    identityExportedAt: null,
    identityOnlyInVaultdesk: false,
    jobNames: [],
    createdAt: '2026-01-01T00:00:00Z',
  };
}

describe('profileChanges', () => {
  it('is null for the values the dialog opened with, and for the same name typed with spaces around it', () => {
    const p = profile('age', [BREAK_GLASS]);
    expect(profileChanges(p, profileEditValues(p))).toBeNull();
    expect(profileChanges(p, { name: '  team ', extraRecipients: [BREAK_GLASS] })).toBeNull();
  });

  it('sends a rename alone, which the contract accepts', () => {
    const p = profile('age', [BREAK_GLASS]);
    const change = profileChanges(p, { name: 'team-local', extraRecipients: [BREAK_GLASS] });
    expect(change).toEqual({ id: p.id, name: 'team-local' });
    expect(inputSchemas['profiles:update'].safeParse(change).success).toBe(true);
  });

  it('sends extra recipients alone when only they changed, an emptied list included', () => {
    const p = profile('age', [BREAK_GLASS]);
    expect(profileChanges(p, { name: 'team', extraRecipients: [] })).toEqual({ id: p.id, extraRecipients: [] });
    expect(profileChanges(profile('age'), { name: 'team', extraRecipients: [BREAK_GLASS] })).toEqual({ id: p.id, extraRecipients: [BREAK_GLASS] });
  });

  it('never sends extra recipients for a 7-Zip profile, which the core refuses', () => {
    const p = profile('7z');
    expect(profileChanges(p, { name: 'zip', extraRecipients: [BREAK_GLASS] })).toEqual({ id: p.id, name: 'zip' });
    expect(profileChanges(p, { name: 'team', extraRecipients: [BREAK_GLASS] })).toBeNull();
  });

  it('sends an empty name as typed, so the contract refuses it under Name rather than the form keeping the old one', () => {
    const change = profileChanges(profile('age'), { name: ' ', extraRecipients: [] });
    expect(change).toEqual({ id: profile('age').id, name: ' ' });
    const parsed = inputSchemas['profiles:update'].safeParse(change);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['name']);
  });
});
