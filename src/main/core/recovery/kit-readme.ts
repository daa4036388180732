import type { KitAgeKey, KitKey, KitSevenZipKey } from './kit-format';

interface ReadmeOptions {
  passphraseProtected: boolean;
  createdAt: string;
  version: string;
}

/**
 * The kit's README.txt: what a DBA reads when Vaultdesk, its data dir and its master key are
 * gone, so it names the exact commands of the standard tools and assumes nothing else. The age
 * steps are there only when the kit holds age profiles, the 7-Zip step only when it holds 7-Zip
 * profiles; steps are numbered as they come.
 */
export function kitReadme(keys: readonly KitKey[], options: ReadmeOptions): string {
  const ages = keys.filter((k): k is KitAgeKey => k.kind === 'age');
  const sevenZips = keys.filter((k): k is KitSevenZipKey => k.kind === '7z');
  const wrapped = options.passphraseProtected;
  let step = 0;
  const next = (): number => ++step;
  const find = next();
  const unzip = next();
  const ageSteps = ages.length > 0 ? { unwrap: next(), decrypt: next() } : null;
  const sevenZipStep = sevenZips.length > 0 ? next() : null;
  const restore = next();
  const withVaultdesk = next();
  const intoInstall = next();
  const holds = [ages.length > 0 ? 'the age identities (secret keys)' : null, sevenZips.length > 0 ? 'the 7-Zip passphrases' : null].filter(Boolean).join(' and ');
  const lines = [
    'VAULTDESK RECOVERY KIT',
    '======================',
    '',
    `Made ${options.createdAt} by Vaultdesk ${options.version}. It holds ${holds}`,
    'that decrypt the backups of the encryption profiles below. Anyone holding this kit',
    wrapped ? 'and its passphrase can read those backups: keep it offline, apart from the backups.' : 'can read those backups: keep it offline, apart from the backups, like a password.',
    '',
    'CONTENTS',
    '',
    '  README.txt    this file',
    ages.length > 0 && sevenZips.length > 0
      ? '  keys.json     one entry per profile: kind (age or 7z), name, created; for age: public key, fingerprint'
      : sevenZips.length > 0
        ? '  keys.json     one entry per profile: kind (7z), name, created'
        : '  keys.json     one entry per profile: name, public key (recipient), fingerprint, created',
    ...ages.flatMap((k) => [`  ${k.identityFile}`, `      profile ${JSON.stringify(k.profile)}, fingerprint ${k.fingerprint}`, `      public key ${k.recipient}`]),
    ...sevenZips.flatMap((k) => [`  ${k.passphraseFile}`, `      7-Zip profile ${JSON.stringify(k.profile)}: the passphrase of its .7z backups`]),
    '',
    wrapped
      ? `Each ${sevenZips.length > 0 ? (ages.length > 0 ? 'identity and passphrase file' : 'passphrase file') : 'identity file'} is encrypted with the kit's passphrase (age's own scrypt passphrase\nencryption), so the standard \`age\` tool unwraps it.`
      : [ages.length > 0 ? 'The identity files are plain age identity files, as `age-keygen` writes them.' : null, sevenZips.length > 0 ? 'Each passphrase file holds the 7-Zip passphrase alone, on one line.' : null].filter(Boolean).join('\n'),
    '',
    'WHAT YOU NEED',
    '',
    ...(ages.length > 0 || wrapped ? ['  - age 1.1 or newer (https://age-encryption.org; Debian/Ubuntu: apt install age), or rage'] : []),
    ...(ages.length > 0 ? ['  - zstd (for .zst files) or gzip (for .gz files)'] : []),
    ...(sevenZips.length > 0 ? ['  - 7-Zip 22 or newer for .7z files (Debian/Ubuntu: apt install 7zip, whose command is 7zz;', '    Fedora: dnf install 7zip; macOS: brew install sevenzip; Windows: 7-zip.org)'] : []),
    '  - the database\'s own client tools: pg_restore and psql (PostgreSQL), mariadb or mysql',
    '    (MariaDB/MySQL), sqlite3 (SQLite)',
    `  - or, instead of all of that but the database tools: the \`vaultdesk\` command (step ${withVaultdesk})`,
    '',
    `${find}. FIND THE BACKUP AND ITS KEY`,
    '',
    '  A backup is one file, named like  shop/nightly/20260301T030000Z.dump.zst.age , with a',
    '  manifest beside it ( ....dump.zst.age.manifest.json ). The name says what it is:',
    '    .dump  PostgreSQL custom format (pg_restore)     .sql    SQL text (psql, mariadb, mysql)',
    '    .sqlite  a SQLite database file                   .zst / .gz  compressed with zstd / gzip',
    `    .age   ${(ages.length > 0 ? 'encrypted with age' : 'encrypted with age (no identity here)').padEnd(43)}.7z    ${sevenZips.length > 0 ? `a 7-Zip archive (step ${sevenZipStep})` : 'a 7-Zip archive (passphrase, not in this kit)'}`,
    ...(ages.length > 0
      ? ['  The manifest\'s "encryption" lists the fingerprints of the keys the file was encrypted to;', '  the same fingerprints are in keys.json and above. Check the file is intact first:']
      : ['  Check the file is intact first:']),
    '',
    '    sha256sum 20260301T030000Z.dump.zst.age      # must equal "sha256" under "object" in the manifest',
    '',
    `${unzip}. UNZIP THE KIT`,
    '',
    '    unzip vaultdesk-kit.zip -d kit      # your kit\'s file name; or any zip tool',
    '',
    ...(ageSteps ? ageSection(ages[0]!, wrapped, ageSteps) : []),
    ...(sevenZipStep !== null ? sevenZipSection(sevenZips[0]!, wrapped, sevenZipStep, restore) : []),
    `${restore}. RESTORE`,
    '',
    '  PostgreSQL, custom format (.dump), into a new database:',
    '    createdb -h HOST -U USER shop_restored',
    '    pg_restore -h HOST -U USER -d shop_restored --no-owner backup.dump',
    '    (add  --jobs 4  for a faster restore; pg_restore needs the file itself for that, not a pipe)',
    '  PostgreSQL, SQL text (.sql):',
    '    createdb -h HOST -U USER shop_restored',
    '    psql -h HOST -U USER -d shop_restored -v ON_ERROR_STOP=1 -f backup.sql',
    '    (a dump from pg_dump 17.6, 16.10, 15.14 or later opens with \\restrict: a psql older than',
    '    those stops there with "invalid command \\restrict"; use one of those releases or later)',
    '  PostgreSQL roles of an "all databases" job (the globals .sql file), before the databases:',
    '    psql -h HOST -U postgres -d postgres -f globals.sql',
    '  MariaDB / MySQL (.sql; the dump names no database, so pick any):',
    '    mariadb -h HOST -u USER -p -e "CREATE DATABASE shop_restored"',
    '    mariadb -h HOST -u USER -p --binary-mode --comments --max-allowed-packet=1G shop_restored < backup.sql',
    '    (or mysql with the same options)',
    '    (--comments keeps the comments inside routines and triggers: without it the client strips them,',
    '    and a trigger with a comment in its body fails to load)',
    '    (--max-allowed-packet=1G lets the client send a row with a large BLOB, which the dump writes in',
    '    hex in one statement; the server must take it too: "Server has gone away" there means a statement',
    '    larger than its max_allowed_packet, which an administrator raises with',
    '    SET GLOBAL max_allowed_packet = 1073741824; before restoring again)',
    '    (a dump from mariadb-dump 10.5.25, 10.6.18, 10.11.8, 11.4.2 or later opens with a sandbox line',
    '    that MySQL\'s client and older MariaDB clients stop at, "Unknown command \'\\-\'": use a current',
    '    mariadb client, or leave that line out: tail -n +2 backup.sql | mysql ...)',
    '  SQLite (.sqlite is the database file itself):',
    '    sqlite3 backup.sqlite "PRAGMA integrity_check"          # prints ok',
    '    then copy it where the application expects its database (stop the application first).',
    '',
    `${withVaultdesk}. OR WITH VAULTDESK (needs no data dir, no keychain, no configuration)`,
    '',
    ...(ages.length > 0 ? [`    vaultdesk decrypt 20260301T030000Z.dump.zst.age -i vaultdesk-kit.zip${wrapped ? ' --passphrase-stdin' : ''} -o backup.dump`] : []),
    ...(sevenZips.length > 0 ? [`    vaultdesk decrypt 20260301T030000Z.dump.7z -i vaultdesk-kit.zip${wrapped ? ' --passphrase-stdin' : ''} -o backup.dump`] : []),
    '',
    ages.length > 0 ? '  It takes the kit zip itself (or one identity file), picks the identity that matches the' : '  It takes the kit zip itself, tries each 7-Zip passphrase of the kit until one opens the',
    wrapped ? '  file, reads the passphrase from standard input (at a terminal: type it, then Enter and' : '  file, decrypts, decompresses, checks the manifest\'s',
    ...(wrapped ? ['  Ctrl-D), decrypts, decompresses, checks the manifest\'s'] : []),
    '  sha256 when the manifest is beside the file, and writes the output only once all of it',
    `  checked out. Then restore as in step ${restore}.${ages.length > 0 ? ' Without the kit: -i with one identity file.' : ''}`,
    ...(sevenZips.length > 0 ? ['  A .7z file needs 7-Zip 22 or newer on the PATH (or --7z PROGRAM).'] : []),
    '',
    `${intoInstall}. OR INTO A NEW VAULTDESK INSTALL (a machine rebuilt, a data folder lost)`,
    '',
    wrapped ? '    vaultdesk kit import vaultdesk-kit.zip --passphrase-stdin' : '    vaultdesk kit import vaultdesk-kit.zip',
    '',
    `  makes an encryption profile of each ${ages.length > 0 && sevenZips.length > 0 ? 'identity and 7-Zip passphrase' : ages.length > 0 ? 'identity' : '7-Zip passphrase'}, under its name here (the Recovery page of the`,
    '  app does the same). Add the destination that holds the backups, then vaultdesk backup list',
    '  finds them there and vaultdesk restore ID --target SOURCE restores one, as the old install did.',
    '',
  ];
  return `${lines.join('\n')}`;
}

function ageSection(first: KitAgeKey, wrapped: boolean, steps: { unwrap: number; decrypt: number }): string[] {
  const id = first.identityFile;
  const plainId = wrapped ? id.replace(/\.age$/, '.txt') : id;
  return [
    ...(wrapped
      ? [
          `${steps.unwrap}. UNWRAP THE IDENTITY (asks for the kit's passphrase)`,
          '',
          `    (umask 077; age -d -o kit/${plainId} kit/${id})`,
          '',
          `  age can also use the wrapped file directly:  age -d -i kit/${id} ...  asks for the`,
          '  passphrase each time and writes no unwrapped copy. Remove unwrapped copies when done.',
        ]
      : [`${steps.unwrap}. (NOTHING TO UNWRAP: the identity files are not passphrase-protected)`]),
    '',
    `${steps.decrypt}. DECRYPT AND DECOMPRESS`,
    '',
    `    age -d -i kit/${plainId} -o backup.dump.zst 20260301T030000Z.dump.zst.age`,
    '    zstd -d backup.dump.zst -o backup.dump          # a .gz file: gzip -dc backup.sql.gz > backup.sql',
    '',
    '  age checks every chunk: a wrong key, a truncated or a modified file fails with an error',
    '  instead of giving wrong data. Or in one go, without the intermediate file:',
    '',
    `    age -d -i kit/${plainId} 20260301T030000Z.dump.zst.age | zstd -d > backup.dump`,
    '',
  ];
}

/**
 * 7-Zip reads a passphrase from its prompt, and from standard input when that is not a terminal:
 * so the README never shows `-pPASSPHRASE`, which puts it in every user's `ps`.
 */
function sevenZipSection(first: KitSevenZipKey, wrapped: boolean, step: number, restore: number): string[] {
  const file = `kit/${first.passphraseFile}`;
  return [
    `${step}. OPEN A 7-ZIP BACKUP (.7z)`,
    '',
    '  A .7z backup is a 7-Zip archive (AES-256, its file names encrypted too) holding the dump',
    '  itself, named like  20260301T030000Z.dump.7z . It opens with the passphrase of the 7-Zip',
    `  profile that made it, in ${first.passphraseFile.split('/')[0]}/. ${wrapped ? 'Print it (asks for the kit\'s passphrase):' : 'Print it:'}`,
    '',
    wrapped ? `    age -d ${file}` : `    cat ${file}`,
    '',
    '  then extract, and type or paste the passphrase when 7-Zip asks for it ("Enter password"):',
    '',
    '    7z x 20260301T030000Z.dump.7z          # 7zz on Debian/Ubuntu; writes 20260301T030000Z.dump',
    '',
    '  Never give it on the command line (7z x -pPASSPHRASE ...): every user of the machine can',
    '  read a command line (ps). To keep it off the screen too, hand it to 7-Zip on its standard',
    '  input, which 7-Zip reads it from when that is not a terminal:',
    '',
    wrapped ? `    age -d ${file} | 7z x -so 20260301T030000Z.dump.7z > backup.dump` : `    7z x -so 20260301T030000Z.dump.7z < ${file} > backup.dump`,
    '',
    '  7-Zip checks what it extracts: a wrong passphrase says "Wrong password", a damaged file',
    '  "Data Error" or "CRC Failed", instead of giving wrong data. A 7-Zip backup\'s manifest does',
    `  not name its profile: use the job's, or try each passphrase. Then restore as in step ${restore}.`,
    '',
  ];
}
