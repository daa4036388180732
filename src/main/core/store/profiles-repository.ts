import { randomBytes, randomUUID } from 'node:crypto';
import type { ProfileDto } from '../../../shared/domain/dto';
import type { ProfileCreate, ProfileUpdate } from '../../../shared/ipc/schemas';
import { AppError } from '../../../shared/ipc/result';
import type { MasterKey } from '../keys/master-key';
import type { Db } from './db';
import { assertNameFree, notFound } from './names';
import { openSecrets, sealSecrets, type SecretMap } from './row-secrets';

interface ProfileRow {
  id: string;
  name: string;
  kind: 'age' | '7z';
  recipient: string | null;
  extra_recipients: string;
  secrets: string | null;
  secret_names: string;
  /** When the identity (age) or passphrase (7z) was last written out of Vaultdesk. */
  identity_exported_at: string | null;
  /**
   * 1: the user brought the secret, so they hold it already (an imported age identity, a 7-Zip
   * passphrase they typed). 0 for a generated one, and for 7-Zip profiles made before this was
   * recorded for them: whether their passphrase was typed is not known, and flagging one the user
   * knows costs a save, where not flagging a generated one costs every backup.
   */
  identity_imported: number;
  created_at: string;
}

export class ProfilesRepository {
  constructor(
    private readonly db: Db,
    private readonly keys: MasterKey,
    private readonly now: () => Date,
  ) {}

  list(): ProfileDto[] {
    const rows = this.db.prepare('SELECT * FROM profiles ORDER BY name COLLATE NOCASE').all() as ProfileRow[];
    return rows.map((r) => this.#toDto(r));
  }

  get(id: string): ProfileDto {
    return this.#toDto(this.#row(id));
  }

  findByName(name: string): ProfileDto | null {
    const row = this.db.prepare('SELECT * FROM profiles WHERE name = ? COLLATE NOCASE').get(name) as ProfileRow | undefined;
    return row ? this.#toDto(row) : null;
  }

  /** The identity (age) or passphrase (7z), for the pipeline and the recovery kit only. */
  secrets(id: string): SecretMap {
    return openSecrets(this.keys.box(), 'profiles', id, this.#row(id).secrets);
  }

  async create(input: ProfileCreate): Promise<ProfileDto> {
    const box = this.keys.box();
    const id = randomUUID();
    let recipient: string | null = null;
    let secrets: SecretMap;
    if (input.kind === 'age') {
      // Loaded on first use, not with the store: most CLI commands never make a profile.
      const { generateX25519Identity, identityToRecipient } = await import('age-encryption');
      const identity = input.identity ?? (await generateX25519Identity());
      try {
        recipient = await identityToRecipient(identity);
      } catch {
        throw new AppError('VALIDATION_FAILED', 'The age identity is not valid.', { field: 'identity' });
      }
      secrets = { identity };
    } else {
      // 144 random bits, URL-safe: long enough for 7-Zip's AES-256 key derivation to be the weak point, not the passphrase.
      secrets = { passphrase: input.passphrase ?? randomBytes(18).toString('base64url') };
    }
    const extra = input.kind === 'age' ? [...new Set(input.extraRecipients.filter((r) => r !== recipient))] : [];
    const sealed = sealSecrets(box, 'profiles', id, secrets);
    this.db.transaction(() => {
      assertNameFree(this.db, 'profiles', 'encryption profile', input.name);
      this.db
        .prepare('INSERT INTO profiles (id, name, kind, recipient, extra_recipients, secrets, secret_names, identity_imported, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(id, input.name, input.kind, recipient, JSON.stringify(extra), sealed.sealed, JSON.stringify(sealed.names), (input.kind === 'age' ? input.identity : input.passphrase) ? 1 : 0, this.now().toISOString());
    })();
    return this.get(id);
  }

  update(input: ProfileUpdate): ProfileDto {
    const row = this.#row(input.id);
    if (input.extraRecipients && row.kind !== 'age') {
      throw new AppError('VALIDATION_FAILED', 'Only age profiles have extra recipients.', { field: 'extraRecipients' });
    }
    this.db.transaction(() => {
      if (input.name !== undefined) assertNameFree(this.db, 'profiles', 'encryption profile', input.name, row.id);
      const extra = input.extraRecipients ? [...new Set(input.extraRecipients.filter((r) => r !== row.recipient))] : JSON.parse(row.extra_recipients);
      this.db.prepare('UPDATE profiles SET name = ?, extra_recipients = ? WHERE id = ?').run(input.name ?? row.name, JSON.stringify(extra), row.id);
    })();
    return this.get(row.id);
  }

  /** Records that the identity or passphrase was written out of Vaultdesk just now. */
  markExported(id: string): ProfileDto {
    this.#row(id);
    this.db.prepare('UPDATE profiles SET identity_exported_at = ? WHERE id = ?').run(this.now().toISOString(), id);
    return this.get(id);
  }

  delete(id: string, discardUnsavedIdentity = false): void {
    const dto = this.get(id);
    if (dto.jobNames.length > 0) {
      throw new AppError('IN_USE', `Encryption profile "${dto.name}" is used by ${dto.jobNames.map((n) => `"${n}"`).join(', ')}. Change those jobs first.`, { jobs: dto.jobNames });
    }
    if (dto.identityOnlyInVaultdesk && !discardUnsavedIdentity) {
      throw new AppError(
        'VALIDATION_FAILED',
        dto.kind === '7z'
          ? `The passphrase of 7-Zip profile "${dto.name}" was generated by Vaultdesk and never saved outside it: deleting the profile would leave every backup made with it impossible to open, with 7-Zip or anything else. Save the passphrase first, or confirm that those backups may be lost.`
          : `The identity of profile "${dto.name}" was never saved outside Vaultdesk (no export, no recovery kit): deleting the profile would leave every backup encrypted to it impossible to decrypt. Save the identity or export a recovery kit first, or confirm that those backups may be lost.`,
        { field: 'id', reason: 'identity-not-saved' },
      );
    }
    this.db.prepare('DELETE FROM profiles WHERE id = ?').run(id);
  }

  #row(id: string): ProfileRow {
    const row = this.db.prepare('SELECT * FROM profiles WHERE id = ?').get(id) as ProfileRow | undefined;
    if (!row) throw notFound('encryption profile', id);
    return row;
  }

  #toDto(r: ProfileRow): ProfileDto {
    const jobs = this.db.prepare('SELECT name FROM jobs WHERE profile_id = ? ORDER BY name COLLATE NOCASE').all(r.id) as { name: string }[];
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      recipient: r.recipient,
      extraRecipients: JSON.parse(r.extra_recipients) as string[],
      hasSecret: r.secrets !== null,
      identityExportedAt: r.identity_exported_at,
      identityOnlyInVaultdesk: r.secrets !== null && r.identity_exported_at === null && r.identity_imported === 0,
      jobNames: jobs.map((j) => j.name),
      createdAt: r.created_at,
    };
  }
}
