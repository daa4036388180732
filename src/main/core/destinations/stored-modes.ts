/**
 * A stored backup is readable by its owner only, as restic and borg keep their repositories, and
 * the folders Vaultdesk makes for it are closed to others: an unencrypted dump (or an all-databases
 * run's roles with their password hashes) must not be open to every account on the machine.
 */
export const STORED_FILE_MODE = 0o600;
export const STORED_FOLDER_MODE = 0o700;
