import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './free-port';
import { selfSignedCertificateCommand } from './tls-certificate';

/**
 * A PostgreSQL server of its own for one test, for what must see every database of a server
 * (an "all databases" backup, roles): the shared one holds other tests' databases, created and
 * dropped while this one runs. Started from the installed server's binaries, as the postgres
 * user (initdb refuses root), on a free loopback port, with trust auth and no fsync.
 */
export interface PrivatePostgres {
  host: string;
  port: number;
  user: string;
  /**
   * Restarts the server with TLS (a self-signed certificate made with openssl) and a pg_hba.conf
   * that accepts TLS connections only: a server that has started to require TLS.
   */
  requireTls(): void;
  /**
   * Gives the user a password and makes the server check it on every TCP connection
   * (scram-sha-256, as servers are set up by default since PostgreSQL 14), as the shared test
   * server, which trusts every login, never does.
   */
  requirePassword(password: string): void;
  /** One statement (or several) in `database` as the server's superuser, over TCP as it now asks for it (TLS, the password). */
  sql<T extends pg.QueryResultRow>(database: string, text: string): Promise<T[]>;
  stop(): Promise<void>;
}

function binDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(path.join(root, v, 'bin', 'initdb'))) return path.join(root, v, 'bin');
  return null;
}

/** Why a private server cannot start here, or null. */
export function privatePostgresUnavailable(): string | null {
  if (!binDir()) return 'no PostgreSQL server binaries under /usr/lib/postgresql';
  if (process.getuid?.() !== 0) return 'starting a private PostgreSQL server as the postgres user needs root';
  if (spawnSync('id', ['postgres']).status !== 0) return 'no postgres user';
  return null;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir()!;
  const dir = mkdtempSync(path.join(tmpdir(), 'vaultdesk-pg-'));
  const data = path.join(dir, 'data');
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dir, uid, gid);
  const asPostgres = (args: string[], input?: string): void => {
    const r = spawnSync('runuser', ['-u', 'postgres', '--', ...args], { input, encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${args[0]} failed: ${r.stderr || r.stdout}`);
  };
  asPostgres([path.join(bin, 'initdb'), '-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off`;
  asPostgres([path.join(bin, 'pg_ctl'), '-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']);
  let tls = false;
  let password: string | undefined;
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    requireTls: () => {
      const cert = path.join(data, 'server.crt');
      const key = path.join(data, 'server.key');
      asPostgres(selfSignedCertificateCommand(key, cert));
      // The server refuses a key others may read.
      asPostgres(['chmod', '600', key]);
      writeFileSync(path.join(data, 'pg_hba.conf'), 'local all all trust\nhostssl all all 127.0.0.1/32 trust\n');
      const withTls = `${options} -c ssl=on -c ssl_cert_file=${cert} -c ssl_key_file=${key}`;
      asPostgres([path.join(bin, 'pg_ctl'), '-D', data, '-o', withTls, '-l', path.join(dir, 'log'), '-m', 'fast', '-w', '-t', '60', 'restart']);
      tls = true;
    },
    requirePassword: (given) => {
      // Over the socket, which stays trusted: the password is set before it is asked for.
      const literal = `'${given.replaceAll("'", "''")}'`;
      asPostgres(
        [path.join(bin, 'psql'), '-h', dir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-X', '-q', '-v', 'ON_ERROR_STOP=1'],
        `SET password_encryption = 'scram-sha-256';\nALTER ROLE postgres PASSWORD ${literal};\n`,
      );
      writeFileSync(path.join(data, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n');
      asPostgres([path.join(bin, 'pg_ctl'), '-D', data, '-w', 'reload']);
      password = given;
    },
    sql: async <T extends pg.QueryResultRow>(database: string, text: string): Promise<T[]> => {
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database, password, ssl: tls ? { rejectUnauthorized: false } : false });
      await client.connect();
      try {
        return (await client.query<T>(text)).rows;
      } finally {
        await client.end();
      }
    },
    stop: async () => {
      spawnSync('runuser', ['-u', 'postgres', '--', path.join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop'], { timeout: 60_000 });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
