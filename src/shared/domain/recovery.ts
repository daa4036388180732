/** The shortest passphrase a recovery kit or a system backup is written with (an import opens any). */
export const MIN_NEW_PASSPHRASE = 12;

/** What `recovery:exportKit` wrote: public keys and names only, never an identity. */
export interface KitExportDto {
  path: string;
  passphraseProtected: boolean;
  bytes: number;
  profiles: { id: string; name: string; recipient: string; fingerprint: string }[];
  /** Age profiles left out because their identity is no longer stored (dropped by a master key reset). */
  skipped: { id: string; name: string }[];
}

/** What `recovery:importKit` did: public keys and names only, never an identity. */
export interface KitImportDto {
  path: string;
  passphraseProtected: boolean;
  /** Profiles made from the kit, under the kit's names. */
  created: { id: string; name: string; recipient: string; fingerprint: string }[];
  /** The kit's profiles whose recipient a profile here has already (`profile`, its name here). */
  present: { name: string; recipient: string; profile: string }[];
  /** The kit's profiles left out because a profile here with another recipient has the name. */
  clashes: { name: string; recipient: string; profile: string }[];
}

/**
 * Where one of a kit's profiles stands against this install's profiles: `new` (an import makes
 * it), `present` (a profile here has its recipient, named in `profile`), `clash` (a profile here
 * with another recipient has its name, named in `profile`: an import leaves it out).
 */
export type KitStanding = 'new' | 'present' | 'clash';

/** What `recovery:inspectKit` read of a kit: keys.json against the profiles here, nothing unwrapped. */
export interface KitContentsDto {
  path: string;
  passphraseProtected: boolean;
  /** When the kit was exported, and by which version of Vaultdesk. */
  exportedAt: string;
  appVersion: string;
  profiles: { name: string; recipient: string; fingerprint: string; created: string; extraRecipients: string[]; standing: KitStanding; profile: string | null }[];
}

/** What `recovery:decrypt` wrote on the host: the decrypted (and decompressed) backup. */
export interface RecoveryDecryptDto {
  path: string;
  /** Bytes written. */
  bytes: number;
  /** Bytes of the backup file read. */
  bytesIn: number;
  /** What opened the file, in words (`profile "team" of kit /x/kit.zip`, `the passphrase`). */
  openedWith: string;
  format: 'age' | '7z';
  /** What was undone after decrypting; `none` when it was kept as it was stored. */
  decompressed: 'zstd' | 'gzip' | 'none';
  /** A manifest was beside the file and the file's sha256 matched it. */
  verifiedAgainstManifest: boolean;
}

/** How far a `recovery:decrypt` is: bytes of the backup file read of its size. */
export interface RecoveryDecryptProgressDto {
  file: string;
  bytes: number;
  total: number;
}
