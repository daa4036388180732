import { createHash } from 'node:crypto';

/**
 * A backup's id, derived from where it is: the same destination and object key give the same id
 * in every listing and every process sharing the data dir, with nothing stored. Shaped as a
 * UUID (version 8, RFC 9562's "custom" layout) so it passes where ids are taken.
 */
export function backupIdOf(destinationId: string, key: string): string {
  const hex = createHash('sha256').update(`vaultdesk-backup\n${destinationId}\n${key}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
