/** The shortest passphrase a recovery kit or a system backup is written with (an import opens any). */
export const MIN_NEW_PASSPHRASE = 12;

/** An encryption profile's kind: an age identity, or a 7-Zip passphrase. */
export type KitProfileKind = 'age' | '7z';

/** What `recovery:exportKit` wrote: names and public keys only, never an identity or a passphrase. */
export interface KitExportDto {
  path: string;
  passphraseProtected: boolean;
  bytes: number;
  /** `recipient` and `fingerprint` are an age profile's; null for a 7-Zip profile. */
  profiles: { id: string; name: string; kind: KitProfileKind; recipient: string | null; fingerprint: string | null }[];
  /** The 7-Zip that opened a test archive with each 7-Zip passphrase of the kit; null when the kit has none, or no 7-Zip was found (each passphrase was then only compared with the stored one). */
  sevenZipTestedWith: string | null;
  /** Profiles left out because their identity or passphrase is no longer stored (dropped by a master key reset). */
  skipped: { id: string; name: string }[];
}

/** What `recovery:importKit` did: names and public keys only, never an identity or a passphrase. `recipient` is null for a 7-Zip profile. */
export interface KitImportDto {
  path: string;
  passphraseProtected: boolean;
  /** Profiles made from the kit, under the kit's names. */
  created: { id: string; name: string; kind: KitProfileKind; recipient: string | null; fingerprint: string | null }[];
  /** The kit's profiles a profile here has already (`profile`, its name here): the same recipient, or the same 7-Zip passphrase. */
  present: { name: string; kind: KitProfileKind; recipient: string | null; profile: string }[];
  /** The kit's profiles left out because a profile here with another key or passphrase has the name. */
  clashes: { name: string; kind: KitProfileKind; recipient: string | null; profile: string }[];
}

/**
 * Where one of a kit's profiles stands against this install's profiles: `new` (an import makes
 * it), `present` (a profile here has its recipient or 7-Zip passphrase, named in `profile`),
 * `clash` (a profile here with another key has its name, named in `profile`: an import leaves it
 * out), `unsure` (a 7-Zip profile of a passphrase-protected kit whose name a 7-Zip profile here
 * has: `present` or `clash` once the import has unwrapped its passphrase). Read without the
 * kit's passphrase, a 7-Zip profile of a protected kit said `new` may still be found here under
 * another name by the import.
 */
export type KitStanding = 'new' | 'present' | 'clash' | 'unsure';

/** What `recovery:inspectKit` read of a kit: keys.json against the profiles here, nothing unwrapped. */
export interface KitContentsDto {
  path: string;
  passphraseProtected: boolean;
  /** When the kit was exported, and by which version of Vaultdesk. */
  exportedAt: string;
  appVersion: string;
  /** `recipient` and `fingerprint` are an age profile's, null for a 7-Zip profile; `extraRecipients` empty for those. */
  profiles: { name: string; kind: KitProfileKind; recipient: string | null; fingerprint: string | null; created: string; extraRecipients: string[]; standing: KitStanding; profile: string | null }[];
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
