import { t as AppError } from "./result-9C-V9fjg.js";
import { t as exportSecretFile } from "./export-file-BjPN3P-2.js";
import { o as recipientFingerprint } from "./manifest-DCk0zh61.js";
import { n as ageEncryptBuffer, t as ageDecryptBuffer } from "./age-buffer-CkwBVS_2.js";
import { a as KIT_INDEX, c as identityFileNames, i as KIT_FORMAT, l as identityFileText, o as KIT_README, r as readRecoveryKit, t as kitIdentities } from "./kit-read-CmavIe7h.js";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { strToU8, zipSync } from "fflate";
// src/main/core/recovery/kit-readme.ts
/**
* The kit's README.txt: what a DBA reads when Vaultdesk, its data dir and its master key are
* gone, so it names the exact commands of the standard tools and assumes nothing else.
*/
function kitReadme(keys, options) {
	const id = keys[0].identityFile;
	const plainId = options.passphraseProtected ? id.replace(/\.age$/, ".txt") : id;
	return `${[
		"VAULTDESK RECOVERY KIT",
		"======================",
		"",
		`Made ${options.createdAt} by Vaultdesk ${options.version}. It holds the age identities (secret keys)`,
		"that decrypt the backups of the encryption profiles below. Anyone holding this kit",
		options.passphraseProtected ? "and its passphrase can read those backups: keep it offline, apart from the backups." : "can read those backups: keep it offline, apart from the backups, like a password.",
		"",
		"CONTENTS",
		"",
		"  README.txt    this file",
		"  keys.json     one entry per profile: name, public key (recipient), fingerprint, created",
		...keys.flatMap((k) => [
			`  ${k.identityFile}`,
			`      profile ${JSON.stringify(k.profile)}, fingerprint ${k.fingerprint}`,
			`      public key ${k.recipient}`
		]),
		"",
		options.passphraseProtected ? "Each identity file is encrypted with the kit's passphrase (age's own scrypt passphrase\nencryption), so the standard `age` tool unwraps it." : "The identity files are plain age identity files, as `age-keygen` writes them.",
		"",
		"WHAT YOU NEED",
		"",
		"  - age 1.1 or newer (https://age-encryption.org; Debian/Ubuntu: apt install age), or rage",
		"  - zstd (for .zst files) or gzip (for .gz files)",
		"  - the database's own client tools: pg_restore and psql (PostgreSQL), mariadb or mysql",
		"    (MariaDB/MySQL), sqlite3 (SQLite)",
		"  - or, instead of all of that but the database tools: the `vaultdesk` command (step 6)",
		"",
		"1. FIND THE BACKUP AND ITS KEY",
		"",
		"  A backup is one file, named like  shop/nightly/20260301T030000Z.dump.zst.age , with a",
		"  manifest beside it ( ....dump.zst.age.manifest.json ). The name says what it is:",
		"    .dump  PostgreSQL custom format (pg_restore)     .sql    SQL text (psql, mariadb, mysql)",
		"    .sqlite  a SQLite database file                   .zst / .gz  compressed with zstd / gzip",
		"    .age   encrypted with age                         .7z    a 7-Zip archive (passphrase, not in this kit)",
		"  The manifest's \"encryption\" lists the fingerprints of the keys the file was encrypted to;",
		"  the same fingerprints are in keys.json and above. Check the file is intact first:",
		"",
		"    sha256sum 20260301T030000Z.dump.zst.age      # must equal \"sha256\" under \"object\" in the manifest",
		"",
		"2. UNZIP THE KIT",
		"",
		"    unzip vaultdesk-kit.zip -d kit      # your kit's file name; or any zip tool",
		"",
		...options.passphraseProtected ? [
			"3. UNWRAP THE IDENTITY (asks for the kit's passphrase)",
			"",
			`    (umask 077; age -d -o kit/${plainId} kit/${id})`,
			"",
			`  age can also use the wrapped file directly:  age -d -i kit/${id} ...  asks for the`,
			"  passphrase each time and writes no unwrapped copy. Remove unwrapped copies when done."
		] : ["3. (NOTHING TO UNWRAP: the identity files are not passphrase-protected)"],
		"",
		"4. DECRYPT AND DECOMPRESS",
		"",
		`    age -d -i kit/${plainId} -o backup.dump.zst 20260301T030000Z.dump.zst.age`,
		"    zstd -d backup.dump.zst -o backup.dump          # a .gz file: gzip -dc backup.sql.gz > backup.sql",
		"",
		"  age checks every chunk: a wrong key, a truncated or a modified file fails with an error",
		"  instead of giving wrong data. Or in one go, without the intermediate file:",
		"",
		`    age -d -i kit/${plainId} 20260301T030000Z.dump.zst.age | zstd -d > backup.dump`,
		"",
		"5. RESTORE",
		"",
		"  PostgreSQL, custom format (.dump), into a new database:",
		"    createdb -h HOST -U USER shop_restored",
		"    pg_restore -h HOST -U USER -d shop_restored --no-owner backup.dump",
		"    (add  --jobs 4  for a faster restore; pg_restore needs the file itself for that, not a pipe)",
		"  PostgreSQL, SQL text (.sql):",
		"    createdb -h HOST -U USER shop_restored",
		"    psql -h HOST -U USER -d shop_restored -v ON_ERROR_STOP=1 -f backup.sql",
		"    (a dump from pg_dump 17.6, 16.10, 15.14 or later opens with \\restrict: a psql older than",
		"    those stops there with \"invalid command \\restrict\"; use one of those releases or later)",
		"  PostgreSQL roles of an \"all databases\" job (the globals .sql file), before the databases:",
		"    psql -h HOST -U postgres -d postgres -f globals.sql",
		"  MariaDB / MySQL (.sql; the dump names no database, so pick any):",
		"    mariadb -h HOST -u USER -p -e \"CREATE DATABASE shop_restored\"",
		"    mariadb -h HOST -u USER -p --binary-mode --comments --max-allowed-packet=1G shop_restored < backup.sql",
		"    (or mysql with the same options)",
		"    (--comments keeps the comments inside routines and triggers: without it the client strips them,",
		"    and a trigger with a comment in its body fails to load)",
		"    (--max-allowed-packet=1G lets the client send a row with a large BLOB, which the dump writes in",
		"    hex in one statement; the server must take it too: \"Server has gone away\" there means a statement",
		"    larger than its max_allowed_packet, which an administrator raises with",
		"    SET GLOBAL max_allowed_packet = 1073741824; before restoring again)",
		"    (a dump from mariadb-dump 10.5.25, 10.6.18, 10.11.8, 11.4.2 or later opens with a sandbox line",
		"    that MySQL's client and older MariaDB clients stop at, \"Unknown command '\\-'\": use a current",
		"    mariadb client, or leave that line out: tail -n +2 backup.sql | mysql ...)",
		"  SQLite (.sqlite is the database file itself):",
		"    sqlite3 backup.sqlite \"PRAGMA integrity_check\"          # prints ok",
		"    then copy it where the application expects its database (stop the application first).",
		"",
		"6. OR WITH VAULTDESK (needs no data dir, no keychain, no configuration)",
		"",
		options.passphraseProtected ? "    vaultdesk decrypt 20260301T030000Z.dump.zst.age -i vaultdesk-kit.zip --passphrase-stdin -o backup.dump" : "    vaultdesk decrypt 20260301T030000Z.dump.zst.age -i vaultdesk-kit.zip -o backup.dump",
		"",
		"  It takes the kit zip itself (or one identity file), picks the identity that matches the",
		options.passphraseProtected ? "  file, reads the passphrase from standard input (at a terminal: type it, then Enter and" : "  file, decrypts, decompresses, checks the manifest's",
		...options.passphraseProtected ? ["  Ctrl-D), decrypts, decompresses, checks the manifest's"] : [],
		"  sha256 when the manifest is beside the file, and writes the output only once all of it",
		"  checked out. Then restore as in step 5. Without the kit: -i with one identity file.",
		""
	].join("\n")}`;
}
// src/main/core/recovery/kit-build.ts
/** Unix mode bits in the zip's external attributes: `unzip` gives the identity files 0600. */
var SECRET_FILE = {
	os: 3,
	attrs: 33152 << 16 >>> 0
};
var PLAIN_FILE = {
	os: 3,
	attrs: 33188 << 16 >>> 0
};
/**
* Builds the kit zip in memory, then proves it before anyone can rely on it: the zip is read
* back with the reader `vaultdesk decrypt` uses, each identity is unwrapped from it, and a
* canary encrypted to each profile's recipient (to that one alone, so two identities swapped
* between profiles are caught too) must open with the identity the kit holds for it. A kit that
* fails is never returned (INTEGRITY_FAILED), so it is never written.
*/
async function buildRecoveryKit(profiles, options) {
	if (profiles.length === 0) throw new AppError("VALIDATION_FAILED", "A recovery kit needs at least one age profile with its identity.", { field: "profileIds" });
	const wrapped = options.passphrase !== void 0;
	const names = identityFileNames(profiles.map((p) => p.name), wrapped);
	const createdAt = options.now.toISOString();
	const keys = profiles.map((p, i) => ({
		profile: p.name,
		recipient: p.recipient,
		fingerprint: recipientFingerprint(p.recipient),
		created: p.createdAt,
		identityFile: names[i]
	}));
	const files = {};
	const mtime = options.now;
	files[KIT_README] = [strToU8(kitReadme(keys, {
		passphraseProtected: wrapped,
		createdAt,
		version: options.version
	})), {
		...PLAIN_FILE,
		mtime
	}];
	const index = {
		format: KIT_FORMAT,
		formatVersion: 1,
		createdAt,
		app: {
			name: "vaultdesk",
			version: options.version
		},
		passphraseProtected: wrapped,
		keys
	};
	files[KIT_INDEX] = [strToU8(`${JSON.stringify(index, null, 2)}\n`), {
		...PLAIN_FILE,
		mtime
	}];
	for (const [i, p] of profiles.entries()) {
		const text = Buffer.from(identityFileText(p.name, p.recipient, p.createdAt, p.identity));
		const content = wrapped ? await ageEncryptBuffer({
			passphrase: options.passphrase,
			scryptWorkFactor: options.scryptWorkFactor
		}, text) : text;
		files[names[i]] = [new Uint8Array(content), {
			...SECRET_FILE,
			mtime,
			level: 0
		}];
	}
	const bytes = zipSync(files, { level: 6 });
	await proveKit(bytes, profiles, options.passphrase);
	return {
		bytes,
		keys
	};
}
/** The kit's own test (see buildRecoveryKit); throws INTEGRITY_FAILED naming the profile that failed. */
async function proveKit(bytes, profiles, passphrase) {
	const refused = (why) => new AppError("INTEGRITY_FAILED", `The recovery kit failed its own test, so it was not written: ${why}`);
	let kit;
	try {
		kit = readRecoveryKit(bytes, "the new kit");
	} catch (error) {
		throw refused(error instanceof Error ? error.message : String(error));
	}
	for (const profile of profiles) {
		const canary = randomBytes(32);
		const sealed = await ageEncryptBuffer({ recipients: [profile.recipient] }, canary);
		const entry = kit.entries.find((e) => e.key.profile === profile.name && e.key.recipient === profile.recipient);
		if (!entry) throw refused(`it has no entry for profile ${JSON.stringify(profile.name)}.`);
		let opened;
		try {
			const identities = await kitIdentities(kit, [entry], passphrase);
			opened = await ageDecryptBuffer({ identities }, sealed);
		} catch (error) {
			throw refused(`the identity it holds for profile ${JSON.stringify(profile.name)} does not open a test file encrypted to that profile's public key ${profile.recipient} (${error instanceof Error ? error.message : String(error)}). The identity stored for the profile does not belong to its public key: backups made with it may not open with it either.`);
		}
		if (opened.length !== canary.length || !timingSafeEqual(opened, canary)) throw refused(`the test file decrypted with profile ${JSON.stringify(profile.name)}'s identity came back different.`);
	}
}
// src/main/core/recovery/kit-export.ts
/**
* Writes a recovery kit for the chosen profiles (see buildRecoveryKit for what it holds and how
* it proves itself) and marks each profile's identity as saved outside Vaultdesk. Nothing is
* written, and no profile marked, unless the kit passed its test.
*/
async function exportRecoveryKit(deps, request) {
	const all = deps.profiles.list();
	const chosen = request.profileIds ? [...new Set(request.profileIds)].map((id) => deps.profiles.get(id)) : all.filter((p) => p.kind === "age");
	const material = [];
	const included = [];
	const skipped = [];
	for (const profile of chosen) {
		if (profile.kind !== "age" || !profile.recipient) throw new AppError("VALIDATION_FAILED", `Profile "${profile.name}" is a 7-Zip profile: it has a passphrase, not an age identity, and a recovery kit holds age identities only. Keep its passphrase in your password manager.`, { field: "profileIds" });
		const identity = profile.hasSecret ? deps.profiles.secrets(profile.id).identity : void 0;
		if (!identity) {
			if (request.profileIds) throw new AppError("NOT_FOUND", `The identity of profile "${profile.name}" is no longer stored: it was dropped when the master key was reset, so no kit can hold it.`, { field: "profileIds" });
			skipped.push({
				id: profile.id,
				name: profile.name
			});
			continue;
		}
		material.push({
			name: profile.name,
			recipient: profile.recipient,
			identity,
			createdAt: profile.createdAt
		});
		included.push(profile);
	}
	if (material.length === 0) throw new AppError("VALIDATION_FAILED", all.some((p) => p.kind === "age") ? "None of the age profiles still has its identity stored: there is nothing to put in a recovery kit." : "There is no age encryption profile: there is nothing to put in a recovery kit.", { field: "profileIds" });
	const kit = await buildRecoveryKit(material, {
		passphrase: request.passphrase,
		now: deps.now(),
		version: deps.version,
		scryptWorkFactor: deps.scryptWorkFactor
	});
	exportSecretFile(request.path, kit.bytes);
	for (const profile of included) deps.profiles.markExported(profile.id);
	return {
		path: request.path,
		passphraseProtected: request.passphrase !== void 0,
		bytes: kit.bytes.byteLength,
		profiles: included.map((p, i) => ({
			id: p.id,
			name: p.name,
			recipient: p.recipient,
			fingerprint: kit.keys[i].fingerprint
		})),
		skipped
	};
}
export { exportRecoveryKit };
