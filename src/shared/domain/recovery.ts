/** What `recovery:exportKit` wrote: public keys and names only, never an identity. */
export interface KitExportDto {
  path: string;
  passphraseProtected: boolean;
  bytes: number;
  profiles: { id: string; name: string; recipient: string; fingerprint: string }[];
  /** Age profiles left out because their identity is no longer stored (dropped by a master key reset). */
  skipped: { id: string; name: string }[];
}
