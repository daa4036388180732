import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../core/testing/temp-dir';

const bin = fileURLToPath(new URL('../../../bin/vaultdesk.mjs', import.meta.url));
const t = tempDir('vaultdesk-cli-');
afterAll(() => t.cleanup());
const dataDir = path.join(t.dir, 'data');
const keyFile = path.join(t.dir, 'master.key');

function vaultdesk(args: string[], options: { stdin?: string; env?: Record<string, string>; key?: string } = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, '--data-dir', dataDir, '--master-key-file', options.key ?? keyFile, ...args], {
    input: options.stdin ?? '',
    env: { PATH: process.env.PATH, HOME: t.dir, ...options.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('vaultdesk CLI', { timeout: 180_000 }, () => {
  it('adds sources, destinations, a profile and a job with the documented spellings', () => {
    const pg = vaultdesk(['source', 'add', 'postgres', '--name', 'shop', '--host', '127.0.0.1', '--port', '5432', '--user', 'backup', '--database', 'shop', '--password-stdin'], { stdin: 'cli-secret-pw\n' });
    expect(pg.stderr).toBe('');
    expect(pg.code).toBe(0);
    expect(vaultdesk(['source', 'add', 'mysql', '--name', 'crm', '--host', 'db2', '--user', 'u', '--database', 'crm', '--password-env', 'CRM_PW'], { env: { CRM_PW: 'env-secret' } }).code).toBe(0);
    expect(vaultdesk(['source', 'add', 'sqlite', '--name', 'app', '--path', path.join(t.dir, 'app.db')]).code).toBe(0);
    expect(vaultdesk(['destination', 'add', 'local', '--name', 'nas', '--path', path.join(t.dir, 'backups'), '--default']).code).toBe(0);
    expect(vaultdesk(['destination', 'add', 's3', '--name', 'offsite', '--bucket', 'backups', '--endpoint', 'http://127.0.0.1:9000', '--path-style', '--access-key-id', 'AK', '--secret-stdin', '--prefix', 'vd'], { stdin: 's3-secret' }).code).toBe(0);
    const recipient = vaultdesk(['profile', 'create', '--name', 'team']);
    expect(recipient.stdout.trim()).toMatch(/^age1[a-z0-9]{58}$/);
    const job = vaultdesk(['job', 'add', '--name', 'shop-nightly', '--source', 'shop', '--destination', 'nas', '--destination', 'offsite', '--compression', 'gzip', '--encryption', 'team', '--schedule', '0 3 * * *', '--timezone', 'Europe/Paris']);
    expect(job.stderr).toContain('no scheduler yet');
    expect(job.stdout).toContain('Added job "shop-nightly"');
  });

  it('prints JSON on reads, with secrets as flags only', () => {
    const sources = JSON.parse(vaultdesk(['source', 'list', '--json']).stdout) as { name: string; hasPassword: boolean }[];
    expect(sources.map((s) => [s.name, s.hasPassword])).toEqual([['app', false], ['crm', true], ['shop', true]]);
    const jobs = JSON.parse(vaultdesk(['job', 'list', '--json']).stdout) as { name: string; destinationNames: string[]; encryption: string }[];
    expect(jobs).toMatchObject([{ name: 'shop-nightly', destinationNames: ['nas', 'offsite'], encryption: 'age' }]);
    const dests = JSON.parse(vaultdesk(['destination', 'list', '--json']).stdout) as { name: string; jobNames: string[]; isDefault: boolean }[];
    expect(dests.find((d) => d.name === 'nas')).toMatchObject({ jobNames: ['shop-nightly'], isDefault: true });
    const everything = ['source list', 'destination list', 'profile list', 'job list'].map((c) => vaultdesk([...c.split(' '), '--json']).stdout).join('');
    for (const secret of ['cli-secret-pw', 'env-secret', 's3-secret', 'AGE-SECRET-KEY']) expect(everything).not.toContain(secret);
    const db = readFileSync(path.join(dataDir, 'vaultdesk.db'));
    const wal = existsSync(path.join(dataDir, 'vaultdesk.db-wal')) ? readFileSync(path.join(dataDir, 'vaultdesk.db-wal')) : Buffer.alloc(0);
    expect(Buffer.concat([db, wal]).includes(Buffer.from('cli-secret-pw'))).toBe(false);
  });

  it('reports errors on stderr with the code and a non-zero exit', () => {
    const inUse = vaultdesk(['destination', 'remove', 'nas']);
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toMatch(/error \[DESTINATION_IN_USE\].*"shop-nightly"/);
    const invalid = vaultdesk(['destination', 'add', 'local', '--name', 'ab', '--path', '/tmp/x']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('[VALIDATION_FAILED]');
    const json = vaultdesk(['source', 'show', 'nope', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const usage = vaultdesk(['source', 'frobnicate']);
    expect(usage.code).toBe(2);
  });

  it('refuses a job whose environment may not use the destination', () => {
    expect(vaultdesk(['env', 'add', '--name', 'production', '--allow', 'offsite']).code).toBe(0);
    expect(vaultdesk(['source', 'add', 'sqlite', '--name', 'prod-app', '--path', '/data/prod.db', '--environment', 'production']).code).toBe(0);
    const refused = vaultdesk(['job', 'add', '--name', 'prod-app-nightly', '--source', 'prod-app', '--destination', 'nas']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('[DESTINATION_NOT_ALLOWED]');
    expect(vaultdesk(['job', 'show', 'prod-app-nightly']).code).toBe(1);
  });

  it('exports, rotates and imports the master key', () => {
    const exported = vaultdesk(['key', 'export']);
    expect(exported.stdout.trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(exported.stderr).toMatch(/^fingerprint [0-9a-f:]{47}\n$/);
    const out = path.join(t.dir, 'exported.key');
    expect(vaultdesk(['key', 'export', '--out', out]).code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    // A host that lost the key file: the store opens, secrets are refused until the key is imported.
    const lostKey = path.join(t.dir, 'lost.key');
    const status = JSON.parse(vaultdesk(['key', 'status', '--json'], { key: lostKey }).stdout) as { state: string };
    expect(status.state).toBe('missing');
    const refused = vaultdesk(['source', 'set-password', 'shop', '--password-env', 'P'], { key: lostKey, env: { P: 'x' } });
    expect(refused.stderr).toContain('[MASTER_KEY_MISSING]');
    expect(vaultdesk(['key', 'import', '--file', out], { key: lostKey }).code).toBe(0);
    expect(JSON.parse(vaultdesk(['key', 'status', '--json'], { key: lostKey }).stdout)).toMatchObject({ state: 'ok' });
    const rotated = vaultdesk(['key', 'rotate', '--json'], { key: lostKey });
    expect(JSON.parse(rotated.stdout)).toMatchObject({ secretsReencrypted: 4 });
    // The old key no longer opens the store's secrets.
    expect(JSON.parse(vaultdesk(['key', 'status', '--json']).stdout)).toMatchObject({ state: 'mismatch' });
  });
});
