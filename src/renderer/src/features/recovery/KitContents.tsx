import { Badge, Checkbox, Group, Stack, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { KitContentsDto } from '../../../../shared/domain/recovery';
import { formatDateTime } from '../../lib/format';
import { kindWord } from './kit-words';

type KitProfile = KitContentsDto['profiles'][number];

/** What an import does with one of the kit's profiles here, in the words of the import's own result. */
function standingWords(p: KitProfile): { badge: string; color: string; words: string | null } {
  if (p.standing === 'present') return { badge: 'already here', color: 'gray', words: p.profile === p.name ? null : `as profile "${p.profile}"` };
  if (p.standing === 'clash') return { badge: 'name taken', color: 'yellow', words: `profile "${p.profile}" here has this name and another key: rename it in Settings → Encryption profiles to import this one` };
  if (p.standing === 'unsure') {
    return { badge: 'here already?', color: 'yellow', words: `7-Zip profile "${p.profile}" here has this name: kept as it is if its passphrase is the same, else this one is left out (known once the kit's passphrase unwraps it)` };
  }
  return { badge: 'new', color: 'teal', words: null };
}

/** What an import may make: a new profile, or a 7-Zip one whose place here its passphrase decides. */
export function importable(p: KitProfile): boolean {
  return p.standing === 'new' || p.standing === 'unsure';
}

/**
 * The kit's profiles as keys.json lists them, read before the passphrase is asked for: a person
 * sees what the kit holds and what an import would make, keep and leave out, and unticks what not
 * to import. Only the new ones (and the 7-Zip ones an import has yet to place) can be ticked: the
 * others an import would not make anyway.
 */
export function KitContents({ kit, chosen, onChosen }: { kit: KitContentsDto; chosen: string[]; onChosen: (names: string[]) => void }): ReactElement {
  return (
    <Stack gap={6} data-testid="kit-contents">
      <Text size="sm" c="dimmed">
        Exported {formatDateTime(kit.exportedAt)} by Vaultdesk {kit.appVersion}, {kit.passphraseProtected ? 'protected by a passphrase' : 'not passphrase-protected'}.
      </Text>
      <Checkbox.Group label="Profiles to import" value={chosen} onChange={onChosen}>
        <Stack gap={6} mt={6}>
          {kit.profiles.map((p) => {
            const s = standingWords(p);
            return (
              <Checkbox
                key={p.name}
                value={p.name}
                disabled={!importable(p)}
                label={
                  <Group gap={6} wrap="wrap">
                    <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                      {p.name}
                    </Text>
                    <Badge size="xs" variant="outline" color="gray" data-testid="kit-profile-kind">
                      {kindWord(p.kind)}
                    </Badge>
                    <Badge size="xs" variant="light" color={s.color}>
                      {s.badge}
                    </Badge>
                  </Group>
                }
                description={[p.fingerprint ? `key ${p.fingerprint}` : '7-Zip passphrase', p.extraRecipients.length > 0 ? `${p.extraRecipients.length} extra recipient${p.extraRecipients.length === 1 ? '' : 's'}` : null, s.words]
                  .filter(Boolean)
                  .join(' · ')}
              />
            );
          })}
        </Stack>
      </Checkbox.Group>
    </Stack>
  );
}
