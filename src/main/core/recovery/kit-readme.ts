import type { KitKey } from './kit-format';

/**
 * The kit's README.txt: what a DBA reads when Vaultdesk, its data dir and its master key are
 * gone, so it names the exact commands of the standard tools and assumes nothing else.
 */
export function kitReadme(keys: readonly KitKey[], options: { passphraseProtected: boolean; createdAt: string; version: string }): string {
  const first = keys[0]!;
  const id = first.identityFile;
  const plainId = options.passphraseProtected ? id.replace(/\.age$/, '.txt') : id;
  const lines = [
    'VAULTDESK RECOVERY KIT',
    '======================',
    '',
    `Made ${options.createdAt} by Vaultdesk ${options.version}. It holds the age identities (secret keys)`,
    'that decrypt the backups of the encryption profiles below. Anyone holding this kit',
    options.passphraseProtected ? 'and its passphrase can read those backups: keep it offline, apart from the backups.' : 'can read those backups: keep it offline, apart from the backups, like a password.',
    '',
    'CONTENTS',
    '',
    '  README.txt    this file',
    '  keys.json     one entry per profile: name, public key (recipient), fingerprint, created',
    ...keys.flatMap((k) => [`  ${k.identityFile}`, `      profile ${JSON.stringify(k.profile)}, fingerprint ${k.fingerprint}`, `      public key ${k.recipient}`]),
    '',
    options.passphraseProtected
      ? 'Each identity file is encrypted with the kit\'s passphrase (age\'s own scrypt passphrase\nencryption), so the standard `age` tool unwraps it.'
      : 'The identity files are plain age identity files, as `age-keygen` writes them.',
    '',
    'WHAT YOU NEED',
    '',
    '  - age 1.1 or newer (https://age-encryption.org; Debian/Ubuntu: apt install age), or rage',
    '  - zstd (for .zst files) or gzip (for .gz files)',
    '  - the database\'s own client tools: pg_restore and psql (PostgreSQL), mariadb or mysql',
    '    (MariaDB/MySQL), sqlite3 (SQLite)',
    '  - or, instead of all of that but the database tools: the `vaultdesk` command (step 6)',
    '',
    '1. FIND THE BACKUP AND ITS KEY',
    '',
    '  A backup is one file, named like  shop/nightly/20260301T030000Z.dump.zst.age , with a',
    '  manifest beside it ( ....dump.zst.age.manifest.json ). The name says what it is:',
    '    .dump  PostgreSQL custom format (pg_restore)     .sql    SQL text (psql, mariadb, mysql)',
    '    .sqlite  a SQLite database file                   .zst / .gz  compressed with zstd / gzip',
    '    .age   encrypted with age                         .7z    a 7-Zip archive (passphrase, not in this kit)',
    '  The manifest\'s "encryption" lists the fingerprints of the keys the file was encrypted to;',
    '  the same fingerprints are in keys.json and above. Check the file is intact first:',
    '',
    '    sha256sum 20260301T030000Z.dump.zst.age      # must equal "sha256" under "object" in the manifest',
    '',
    '2. UNZIP THE KIT',
    '',
    '    unzip vaultdesk-kit.zip -d kit      # your kit\'s file name; or any zip tool',
    '',
    ...(options.passphraseProtected
      ? [
          '3. UNWRAP THE IDENTITY (asks for the kit\'s passphrase)',
          '',
          `    (umask 077; age -d -o kit/${plainId} kit/${id})`,
          '',
          `  age can also use the wrapped file directly:  age -d -i kit/${id} ...  asks for the`,
          '  passphrase each time and writes no unwrapped copy. Remove unwrapped copies when done.',
        ]
      : ['3. (NOTHING TO UNWRAP: the identity files are not passphrase-protected)']),
    '',
    '4. DECRYPT AND DECOMPRESS',
    '',
    `    age -d -i kit/${plainId} -o backup.dump.zst 20260301T030000Z.dump.zst.age`,
    '    zstd -d backup.dump.zst -o backup.dump          # a .gz file: gzip -dc backup.sql.gz > backup.sql',
    '',
    '  age checks every chunk: a wrong key, a truncated or a modified file fails with an error',
    '  instead of giving wrong data. Or in one go, without the intermediate file:',
    '',
    `    age -d -i kit/${plainId} 20260301T030000Z.dump.zst.age | zstd -d > backup.dump`,
    '',
    '5. RESTORE',
    '',
    '  PostgreSQL, custom format (.dump), into a new database:',
    '    createdb -h HOST -U USER shop_restored',
    '    pg_restore -h HOST -U USER -d shop_restored --no-owner backup.dump',
    '    (add  --jobs 4  for a faster restore; pg_restore needs the file itself for that, not a pipe)',
    '  PostgreSQL, SQL text (.sql):',
    '    createdb -h HOST -U USER shop_restored',
    '    psql -h HOST -U USER -d shop_restored -v ON_ERROR_STOP=1 -f backup.sql',
    '  PostgreSQL roles of an "all databases" job (the globals .sql file), before the databases:',
    '    psql -h HOST -U postgres -d postgres -f globals.sql',
    '  MariaDB / MySQL (.sql; the dump names no database, so pick any):',
    '    mariadb -h HOST -u USER -p -e "CREATE DATABASE shop_restored"',
    '    mariadb -h HOST -u USER -p --binary-mode --comments shop_restored < backup.sql     # or: mysql ...',
    '    (--comments keeps the comments inside routines and triggers: without it the client strips them,',
    '    and a trigger with a comment in its body fails to load)',
    '  SQLite (.sqlite is the database file itself):',
    '    sqlite3 backup.sqlite "PRAGMA integrity_check"          # prints ok',
    '    then copy it where the application expects its database (stop the application first).',
    '',
    '6. OR WITH VAULTDESK (needs no data dir, no keychain, no configuration)',
    '',
    options.passphraseProtected
      ? '    vaultdesk decrypt 20260301T030000Z.dump.zst.age -i vaultdesk-kit.zip --passphrase-stdin -o backup.dump'
      : '    vaultdesk decrypt 20260301T030000Z.dump.zst.age -i vaultdesk-kit.zip -o backup.dump',
    '',
    '  It takes the kit zip itself (or one identity file), picks the identity that matches the',
    options.passphraseProtected ? '  file, reads the passphrase from standard input (at a terminal: type it, then Enter and' : '  file, decrypts, decompresses, checks the manifest\'s',
    ...(options.passphraseProtected ? ['  Ctrl-D), decrypts, decompresses, checks the manifest\'s'] : []),
    '  sha256 when the manifest is beside the file, and writes the output only once all of it',
    '  checked out. Then restore as in step 5. Without the kit: -i with one identity file.',
    '',
  ];
  return `${lines.join('\n')}`;
}
