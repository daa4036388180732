import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';
import { selfSignedCertificateCommand } from './tls-certificate';

/**
 * A MariaDB server of its own for one test, for what the shared server cannot be made to do:
 * the shared one has no TLS, and its settings hold for every other test. Started from the
 * installed server (mariadb-install-db, mariadbd) as the mysql user, on a free loopback port,
 * with a user that has every privilege over TCP from 127.0.0.1.
 */
export interface PrivateMariadb {
  host: string;
  port: number;
  user: string;
  password: string;
  /**
   * Restarts the server with TLS (a self-signed certificate made with openssl) and
   * require_secure_transport on: a server that has started to require TLS.
   */
  requireTls(): Promise<void>;
  /** Runs SQL as the server's root, over its socket; returns what the client printed (tab-separated, no headers). */
  sql(statements: string): string;
  stop(): Promise<void>;
}

const MARIADBD = '/usr/sbin/mariadbd';

/** Why a private server cannot start here, or null. */
export function privateMariadbUnavailable(): string | null {
  if (!existsSync(MARIADBD)) return `no MariaDB server at ${MARIADBD}`;
  if (spawnSync('mariadb-install-db', ['--version'], { stdio: 'ignore' }).status !== 0) return 'no mariadb-install-db';
  if (process.getuid?.() !== 0) return 'starting a private MariaDB server as the mysql user needs root';
  if (spawnSync('id', ['mysql']).status !== 0) return 'no mysql user';
  return null;
}

function run(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr || r.stdout || r.error?.message}`);
  return r.stdout;
}

/** Resolves once the port takes connections; rejects when the server exits first or after 60 s. */
async function listening(port: number, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) throw new Error(`mariadbd exited before it listened: ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`mariadbd did not listen on ${port} within 60 s: ${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `settings`: more mariadbd options, e.g. `--performance-schema=ON`, for what this test needs of the server. */
export async function startPrivateMariadb(settings: string[] = []): Promise<PrivateMariadb> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vaultdesk-maria-'));
  const data = path.join(dir, 'data');
  const socket = path.join(dir, 'sock');
  // A temporary folder of its own: at every start, mariadbd (and mariadb-install-db's) deletes
  // each `#sql*` file in its tmpdir as a crash's leftover. In the shared /tmp those are the
  // shared server's live internal temporary tables, whose queries then failed with "Error on
  // delete of '/tmp/#sql-temptable-...'" (errno 2).
  const temp = path.join(dir, 'tmp');
  mkdirSync(temp);
  const [uid, gid] = [Number(run('id', ['-u', 'mysql']).trim()), Number(run('id', ['-g', 'mysql']).trim())];
  chownSync(dir, uid, gid);
  chownSync(temp, uid, gid);
  run('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, `--tmpdir=${temp}`, '--user=mysql', '--auth-root-authentication-method=socket', '--skip-test-db']);
  const port = await freePort();
  const base = [
    '--no-defaults',
    `--datadir=${data}`,
    `--socket=${socket}`,
    `--tmpdir=${temp}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    '--user=mysql',
    `--pid-file=${path.join(dir, 'pid')}`,
    '--skip-name-resolve',
    '--skip-log-bin',
    '--innodb-buffer-pool-size=32M',
    '--innodb-flush-log-at-trx-commit=0',
    ...settings,
  ];
  let server: ChildProcess | null = null;
  let output = '';
  const start = async (extra: string[]): Promise<void> => {
    output = '';
    const child = spawn(MARIADBD, [...base, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    server = child;
    await listening(port, child, () => output);
  };
  const halt = async (): Promise<void> => {
    const child = server;
    server = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  };
  const sql = (statements: string): string => run('mariadb', ['--no-defaults', `--socket=${socket}`, '--user=root', '--batch', '--skip-column-names', '-e', statements]);
  const password = randomBytes(12).toString('hex');
  try {
    await start([]);
    sql(`CREATE USER 'vd'@'127.0.0.1' IDENTIFIED BY '${password}'; GRANT ALL ON *.* TO 'vd'@'127.0.0.1' WITH GRANT OPTION;`);
  } catch (error) {
    await halt();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    host: '127.0.0.1',
    port,
    user: 'vd',
    password,
    requireTls: async () => {
      const cert = path.join(dir, 'server.crt');
      const key = path.join(dir, 'server.key');
      const [openssl, ...args] = selfSignedCertificateCommand(key, cert);
      run(openssl, args);
      run('chown', ['mysql', key, cert]);
      run('chmod', ['600', key]);
      await halt();
      await start([`--ssl-cert=${cert}`, `--ssl-key=${key}`, '--require-secure-transport=ON']);
    },
    sql,
    stop: async () => {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
