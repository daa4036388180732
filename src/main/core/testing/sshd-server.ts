import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';
import { ed25519KeyPair } from './ssh-keys';

const SSHD = '/usr/sbin/sshd';

export interface SshdServer {
  host: string;
  port: number;
  user: string;
  /** Unencrypted OpenSSH private key that the server accepts. */
  privateKey: string;
  /** A second accepted key, encrypted with `passphrase`. */
  encryptedKey: { privateKey: string; passphrase: string };
  /**
   * The login password, or null where it cannot be set up without touching the system's
   * accounts (see `passwordUnavailable`).
   */
  password: string | null;
  passwordUnavailable: string | null;
  /** `SHA256:...` of the current host key, as `ssh-keygen -l` prints it. */
  hostKeyFingerprint: string;
  /** Scratch folder of this server (config, keys, logs); a test may use `dir/data` freely. */
  dir: string;
  /**
   * TMPDIR of every session on this server: what a remote command leaves in its temp folder is
   * this server's alone, not mixed with what other test files running meanwhile put in /tmp.
   */
  tmpDir: string;
  /** Restarts on the same port with a freshly generated host key: what a reinstalled server looks like. */
  restartWithNewHostKey(): Promise<void>;
  /** Last lines sshd wrote, for failure messages. */
  log(): string;
  /** Kills every connection's processes (SIGKILL), the server still listening: a connection lost to a crash or a network cut. */
  dropConnections(): void;
  /** Stops the server and ends its connections. */
  stop(): Promise<void>;
}

/** null when an OpenSSH server can be started here, else why not. */
export function sshdUnavailable(): string | null {
  if (process.platform === 'win32') return 'OpenSSH sshd fixture is not supported on Windows';
  if (!existsSync(SSHD)) return `${SSHD} is missing (install openssh-server)`;
  try {
    execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'ssh-keygen is missing (install openssh-client)';
  }
  return null;
}

/**
 * A real OpenSSH server on 127.0.0.1 and a free port, for the current user, with generated
 * host and client keys and `internal-sftp` (or `options.sftpSubsystem`). It allows TCP forwarding and exec so SSH database
 * sources can use the same fixture.
 */
export async function startSshd(options: { sftpSubsystem?: string } = {}): Promise<SshdServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vaultdesk-sshd-'));
  const user = userInfo().username;
  const port = await freePort();
  try {
    if (process.getuid?.() === 0 && !existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    const clientKey = path.join(dir, 'client_ed25519');
    keygen(clientKey);
    const encrypted = encryptedClientKey();
    writeFileSync(path.join(dir, 'authorized_keys'), `${readFileSync(`${clientKey}.pub`, 'utf8').trim()}\n${encrypted.publicKey}\n`, { mode: 0o600 });
    const passwordSetup = preparePassword(dir, user);
    writeFileSync(path.join(dir, 'sshd_config'), sshdConfig(dir, port, passwordSetup.password !== null, options.sftpSubsystem ?? 'internal-sftp'), { mode: 0o600 });
    mkdirSync(path.join(dir, 'data'));
    mkdirSync(path.join(dir, 'tmp'), { mode: 0o700 });

    let hostKeyFingerprint = newHostKey(dir);
    let proc = await launch(dir, port, passwordSetup.shadow);
    return {
      host: '127.0.0.1',
      port,
      user,
      privateKey: readFileSync(clientKey, 'utf8'),
      encryptedKey: { privateKey: encrypted.privateKey, passphrase: encrypted.passphrase },
      password: passwordSetup.password,
      passwordUnavailable: passwordSetup.reason,
      tmpDir: path.join(dir, 'tmp'),
      get hostKeyFingerprint() {
        return hostKeyFingerprint;
      },
      dir,
      async restartWithNewHostKey() {
        await terminate(proc.child);
        hostKeyFingerprint = newHostKey(dir);
        proc = await launch(dir, port, passwordSetup.shadow);
      },
      log: () => proc.log(),
      dropConnections: () => killDescendants(proc.child.pid),
      async stop() {
        // Before the server goes: its orphaned connections would no longer be its children.
        killDescendants(proc.child.pid);
        await terminate(proc.child);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** `sftpSubsystem`: what sshd runs for SFTP; tests give it a misbehaving one (a script that never answers). */
function sshdConfig(dir: string, port: number, passwordAuth: boolean, sftpSubsystem: string): string {
  return [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${path.join(dir, 'host_ed25519')}`,
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    // Tests run as root in CI; these are what sshd needs to let that user in from a temp dir.
    'PermitRootLogin yes',
    'StrictModes no',
    'UsePAM no',
    'PubkeyAuthentication yes',
    `PasswordAuthentication ${passwordAuth ? 'yes' : 'no'}`,
    'KbdInteractiveAuthentication no',
    'PermitEmptyPasswords no',
    'AllowTcpForwarding yes',
    `Subsystem sftp ${sftpSubsystem}`,
    'UseDNS no',
    'PrintMotd no',
    'MaxStartups 50:30:100',
    'MaxSessions 50',
    'LogLevel VERBOSE',
    `SetEnv TMPDIR=${path.join(dir, 'tmp')}`,
    '',
  ].join('\n');
}

function keygen(file: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'vaultdesk-test', '-f', file], { stdio: 'ignore' });
}

function newHostKey(dir: string): string {
  const file = path.join(dir, 'host_ed25519');
  rmSync(file, { force: true });
  rmSync(`${file}.pub`, { force: true });
  keygen(file);
  const line = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`], { encoding: 'utf8' });
  const fingerprint = line.split(' ')[1];
  if (!fingerprint?.startsWith('SHA256:')) throw new Error(`unexpected ssh-keygen -l output: ${line}`);
  return fingerprint;
}

/** Built in-process so the passphrase never appears in a command line. */
function encryptedClientKey(): { privateKey: string; publicKey: string; passphrase: string } {
  const passphrase = randomBytes(12).toString('base64url');
  const pair = ed25519KeyPair({ passphrase, cipher: 'aes256-ctr', rounds: 16, comment: 'vaultdesk-test-encrypted' });
  return { privateKey: pair.private, publicKey: pair.public.trim(), passphrase };
}

/**
 * Password login needs an account with a known password. Rather than changing the system's
 * accounts, sshd runs in its own mount namespace where a generated shadow file (the current
 * user only, with a random password) is bind-mounted over /etc/shadow; with `UsePAM no` sshd
 * checks passwords against exactly that file. Needs root and util-linux `unshare`.
 */
function preparePassword(dir: string, user: string): { password: string | null; shadow: string | null; reason: string | null } {
  if (process.getuid?.() !== 0) return { password: null, shadow: null, reason: 'password login is only set up when the tests run as root' };
  const password = randomBytes(12).toString('base64url');
  try {
    execFileSync('unshare', ['--mount', '--', 'true'], { stdio: 'ignore' });
    const hash = execFileSync('openssl', ['passwd', '-6', '-stdin'], { input: `${password}\n`, encoding: 'utf8' }).trim();
    const shadow = path.join(dir, 'shadow');
    writeFileSync(shadow, `${user}:${hash}:19000:0:99999:7:::\n`, { mode: 0o600 });
    return { password, shadow, reason: null };
  } catch (error) {
    return { password: null, shadow: null, reason: `cannot give sshd a private shadow file: ${(error as Error).message.split('\n')[0]}` };
  }
}

interface Running {
  child: ChildProcess;
  log(): string;
}

async function launch(dir: string, port: number, shadow: string | null): Promise<Running> {
  const config = path.join(dir, 'sshd_config');
  const [command, args] =
    shadow === null
      ? [SSHD, ['-D', '-e', '-f', config]]
      : ['unshare', ['--mount', '--', 'sh', '-c', `mount --bind "$1" /etc/shadow && exec ${SSHD} -D -e -f "$2"`, 'sh', shadow, config]];
  // Its own process group, so stop() also ends the per-connection children sshd forks.
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const lines: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    lines.push(...chunk.split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  });
  const log = (): string => lines.join('\n');
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`sshd exited early (${signal ?? code}):\n${log()}`)));
    child.once('error', reject);
  });
  try {
    await Promise.race([waitForBanner(port, 15_000), exited]);
  } catch (error) {
    await terminate(child);
    throw error;
  }
  exited.catch(() => undefined);
  return { child, log };
}

async function waitForBanner(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.setTimeout(1000);
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString('latin1').startsWith('SSH-2.0-'));
      });
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not answer on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

/**
 * sshd's per-connection processes call setsid() and retitle themselves ("sshd: user@notty"): they
 * are found by their parent, not by their group or command line.
 */
function killDescendants(root: number | undefined): void {
  if (root === undefined) return;
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command in parentheses may hold spaces: the fields after its closing one are fixed.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone while we looked.
    }
  }
  const found: number[] = [];
  const walk = (pid: number): void => {
    for (const [child, parent] of parents) {
      if (parent === pid) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  for (const pid of found) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      /* already gone */
    }
  };
  kill('SIGTERM');
  const timer = setTimeout(() => kill('SIGKILL'), 5000);
  await gone;
  clearTimeout(timer);
  // sshd's per-connection children are in the same group and outlive their parent's SIGTERM.
  kill('SIGKILL');
}
