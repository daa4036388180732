import { describe, expect, it } from 'vitest';
import { destinationsWords, sameProblems } from './destination-problems';

describe('sameProblems', () => {
  it('says a sentence several destinations share once, with their names, and keeps the others apart', () => {
    const key = 'The master key in the key file /k does not match this database. Import the right key (vaultdesk key import).';
    const grouped = sameProblems([
      { destination: 'offsite', code: 'MASTER_KEY_MISMATCH', message: key },
      { destination: 'usb', code: 'DESTINATION_UNREACHABLE', message: 'Folder /mnt/usb does not exist.' },
      { destination: 'vault', code: 'MASTER_KEY_MISMATCH', message: key },
    ]);
    expect(grouped).toEqual([
      { destinations: ['offsite', 'vault'], code: 'MASTER_KEY_MISMATCH', message: key },
      { destinations: ['usb'], code: 'DESTINATION_UNREACHABLE', message: 'Folder /mnt/usb does not exist.' },
    ]);
    expect(grouped.map((g) => destinationsWords(g.destinations))).toEqual(['destinations "offsite" and "vault"', 'destination "usb"']);
  });
});
