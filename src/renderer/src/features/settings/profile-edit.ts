import type { ProfileDto } from '../../../../shared/domain/dto';
import type { InvokeInput } from '../../../../shared/ipc/contract';

export interface ProfileEditValues {
  name: string;
  extraRecipients: string[];
}

export function profileEditValues(profile: ProfileDto): ProfileEditValues {
  return { name: profile.name, extraRecipients: [...profile.extraRecipients] };
}

/**
 * What the form changed, or null when nothing did. Only changed fields are sent, so a rename does
 * not write back extra recipients another window or the CLI changed since the dialog opened; a
 * 7-Zip profile never sends any, since the core refuses extra recipients for it.
 */
export function profileChanges(profile: ProfileDto, values: ProfileEditValues): InvokeInput<'profiles:update'> | null {
  const change: InvokeInput<'profiles:update'> = { id: profile.id };
  // The core trims names, so spaces typed around the same name change nothing.
  if (values.name.trim() !== profile.name) change.name = values.name;
  if (profile.kind === 'age' && !sameList(values.extraRecipients, profile.extraRecipients)) change.extraRecipients = values.extraRecipients;
  return change.name === undefined && change.extraRecipients === undefined ? null : change;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
