import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Core } from '../core/create-core';
import { ensureFolderSync } from '../core/files/ensure-folder';
import { fsAppError } from '../core/files/fs-errors';
import { runJobToEnd } from './backup-commands';
import { action } from './cli-context';

/** A small but real database: a few tables, an index, a view, some rows. */
async function createDemoDatabase(file: string): Promise<void> {
  const { default: Database } = await import('better-sqlite3');
  ensureFolderSync(path.dirname(file));
  const db = new Database(file);
  db.exec(`
    CREATE TABLE IF NOT EXISTS customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE, created_at TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), total_cents INTEGER NOT NULL, placed_at TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS orders_customer ON orders(customer_id);
    CREATE VIEW IF NOT EXISTS customer_totals AS SELECT c.name, SUM(o.total_cents) AS total_cents FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id;
  `);
  const count = (db.prepare('SELECT COUNT(*) AS n FROM customers').get() as { n: number }).n;
  if (count === 0) {
    const addCustomer = db.prepare('INSERT INTO customers (name, email, created_at) VALUES (?, ?, ?)');
    const addOrder = db.prepare('INSERT INTO orders (customer_id, total_cents, placed_at) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (let i = 1; i <= 200; i++) {
        addCustomer.run(`Customer ${i}`, `customer${i}@example.com`, new Date(Date.UTC(2026, 0, 1 + (i % 300))).toISOString());
        for (let j = 0; j < 5; j++) addOrder.run(i, (i * 137 + j * 911) % 50_000, new Date(Date.UTC(2026, 1, 1 + ((i + j) % 250))).toISOString());
      }
    })();
  }
  db.close();
}

/** Reuses what a previous quickstart made (looked up by name), or creates it. */
async function ensure<T extends { id: string; name: string }>(list: T[], name: string, create: () => Promise<T>): Promise<{ value: T; created: boolean }> {
  const existing = list.find((item) => item.name.toLowerCase() === name);
  return existing ? { value: existing, created: false } : { value: await create(), created: true };
}

export async function quickstart(core: Core, backupDir: string, progress: boolean): Promise<void> {
  const { dataDir } = await core.call('app:info', {});
  const demoFile = path.join(dataDir, 'demo', 'demo.db');
  await createDemoDatabase(demoFile);
  const destinations = await core.call('destinations:list', {});
  const source = await ensure(await core.call('sources:list', {}), 'demo', () => core.call('sources:create', { engine: 'sqlite', name: 'demo', path: demoFile }));
  const dest = await ensure(destinations, 'quickstart-folder', () => core.call('destinations:create', { kind: 'local', name: 'quickstart-folder', path: backupDir, isDefault: destinations.every((d) => !d.isDefault) }));
  const profile = await ensure(await core.call('profiles:list', {}), 'quickstart', () => core.call('profiles:create', { kind: 'age', name: 'quickstart' }));
  const job = await ensure(await core.call('jobs:list', {}), 'demo-backup', () => core.call('jobs:create', { name: 'demo-backup', sourceId: source.value.id, destinationIds: [dest.value.id], compression: 'zstd', encryption: 'age', profileId: profile.value.id }));
  for (const [what, r] of [['source "demo"', source], ['destination "quickstart-folder"', dest], ['encryption profile "quickstart"', profile], ['job "demo-backup"', job]] as const) {
    process.stdout.write(`${r.created ? 'Created' : 'Reusing'} ${what}\n`);
  }
  const run = await runJobToEnd(core, job.value.id, { progress, trigger: 'quickstart' });
  if (run.status !== 'succeeded') {
    process.stdout.write(`The demo backup failed at stage ${run.error?.stage}: ${run.error?.message}\n`);
    process.exitCode = 1;
    return;
  }
  const identityFile = await quickstartIdentity(core, dataDir, profile.value);
  const file = run.objects[0]!.destinations[0]!.location!;
  process.stdout.write(
    [
      '',
      `Backup stored: ${file}`,
      `(${run.objects[0]!.size} bytes, sha256 ${run.objects[0]!.sha256}; manifest beside it)`,
      '',
      `The identity that decrypts it was written to ${identityFile} (mode 0600). Decrypt with the standard age tool:`,
      `  age -d -i '${identityFile}' '${file}' | zstd -d > demo-restored.db`,
      '',
      'Keep a copy of the master key apart from the backups: without it the credentials stored in Vaultdesk cannot be read. Write one with:',
      '  vaultdesk key export --out FILE',
      '',
    ].join('\n'),
  );
}

export function registerQuickstartCommand(program: Command): void {
  program
    .command('quickstart')
    .description('for a first try with no database server: a demo SQLite database, a local folder, an age profile and a job, run once')
    .option('--backup-dir <dir>', 'where the demo backups go', path.join(homedir(), 'VaultdeskBackups'))
    .action(
      action(async (core, o: { backupDir: string }) => {
        const dir = path.resolve(o.backupDir);
        try {
          ensureFolderSync(dir);
        } catch (error) {
          throw fsAppError(error, 'FILE_WRITE_FAILED', `Could not create the backup folder ${dir}`, { path: dir });
        }
        await quickstart(core, dir, process.stderr.isTTY === true);
      }, { keyFileFallback: 'create' }),
    );
}

/**
 * The file holding the quickstart profile's identity: the one an earlier quickstart wrote when it
 * holds this profile's (exports never replace a file), else a new one named after the profile.
 */
async function quickstartIdentity(core: Core, dataDir: string, profile: { id: string; recipient: string | null }): Promise<string> {
  for (const file of [path.join(dataDir, 'quickstart-identity.txt'), path.join(dataDir, `quickstart-identity-${profile.id.slice(0, 8)}.txt`)]) {
    if (!existsSync(file)) return (await core.call('profiles:exportIdentity', { id: profile.id, path: file })).path;
    if (profile.recipient && readFileSync(file, 'utf8').includes(profile.recipient)) return file;
  }
  return (await core.call('profiles:exportIdentity', { id: profile.id, path: path.join(dataDir, `quickstart-identity-${profile.id}.txt`) })).path;
}
