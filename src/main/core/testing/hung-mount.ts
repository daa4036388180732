import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/**
 * A file system that stops answering, as a hung NFS or SMB share does: a tiny FUSE server
 * speaking the kernel protocol on /dev/fuse, in a child process. `silent` answers the kernel's
 * INIT and nothing after it (every call under the mount waits); `writes-hang` also answers
 * lookups, mkdir and create, so files can be made, but never acknowledges a write.
 * release() kills the server, which fails every waiting call (ENOTCONN) and frees the threads
 * they held, then unmounts. Needs root and /dev/fuse (no FUSE library or tool).
 */
export type HungMode = 'silent' | 'writes-hang';

export interface HungMount {
  dir: string;
  release(): Promise<void>;
}

export function hungMountUnavailable(): string | null {
  if (process.platform !== 'linux') return `FUSE test mounts are only made on Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'mounting a FUSE file system here needs root';
  if (!existsSync('/dev/fuse')) return '/dev/fuse is missing (no FUSE support in this kernel or container)';
  return null;
}

export async function mountHung(dir: string, mode: HungMode): Promise<HungMount> {
  mkdirSync(dir, { recursive: true });
  const child = spawn(process.execPath, ['-e', SERVER, dir, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (c: string) => c.includes('mounted') && resolve());
    child.once('exit', (code) => reject(new Error(`the FUSE test server exited (${code}) before mounting: ${stderr.trim()}`)));
  });
  let released = false;
  return {
    dir,
    async release() {
      if (released) return;
      released = true;
      await stop(child);
      try {
        execFileSync('umount', [dir], { stdio: 'pipe' });
      } catch {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      }
    },
  };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await gone;
}

/**
 * The server, run with `node -e`: protocol 7.31 structures, little-endian. Requests it does not
 * answer on purpose stay unanswered; opcodes it does not know get ENOSYS, which makes the
 * kernel stop asking (getxattr) or fail the call.
 */
const SERVER = String.raw`
const fs = require('fs');
const { spawnSync } = require('child_process');
const [dir, mode] = process.argv.slice(1);
const fd = fs.openSync('/dev/fuse', 'r+');
const r = spawnSync('mount', ['-t', 'fuse', '-o', 'fd=3,rootmode=40000,user_id=0,group_id=0', 'vaultdesk-hung', dir], { stdio: ['ignore', 'ignore', 'inherit', fd] });
if (r.status !== 0) process.exit(1);
process.stdout.write('mounted\n');
const ENOENT = 2, ENOSYS = 38, EEXIST = 17;
const nodes = new Map([[1n, { parent: 0n, name: '', mode: 0o40755 }]]);
let next = 2n;
const find = (parent, name) => { for (const [id, n] of nodes) if (n.parent === parent && n.name === name) return id; return null; };
const reply = (unique, error, body = Buffer.alloc(0)) => {
  const out = Buffer.alloc(16 + body.length);
  out.writeUInt32LE(out.length, 0); out.writeInt32LE(-error, 4); out.writeBigUInt64LE(unique, 8);
  body.copy(out, 16);
  try { fs.writeSync(fd, out); } catch {}
};
const attr = (id) => {
  const n = nodes.get(id), a = Buffer.alloc(88);
  a.writeBigUInt64LE(id, 0);
  a.writeUInt32LE(n.mode, 60); a.writeUInt32LE(n.mode & 0o40000 ? 2 : 1, 64); a.writeUInt32LE(4096, 80);
  return a;
};
const entry = (id) => Buffer.concat([(() => { const e = Buffer.alloc(40); e.writeBigUInt64LE(id, 0); return e; })(), attr(id)]);
const nameAt = (buf, offset, end) => buf.toString('utf8', offset, buf.indexOf(0, offset) < 0 ? end : buf.indexOf(0, offset));
const buf = Buffer.alloc(1024 * 1024 + 8192);
for (;;) {
  let n;
  try { n = fs.readSync(fd, buf, 0, buf.length, null); } catch (e) { if (e.code === 'EINTR' || e.code === 'EAGAIN') continue; process.exit(0); }
  const opcode = buf.readUInt32LE(4), unique = buf.readBigUInt64LE(8), nodeid = buf.readBigUInt64LE(16);
  if (opcode === 26) { // INIT
    const body = Buffer.alloc(64);
    body.writeUInt32LE(7, 0); body.writeUInt32LE(Math.min(buf.readUInt32LE(44), 31), 4);
    reply(unique, 0, body);
    continue;
  }
  if (mode === 'silent' || opcode === 16 /* WRITE */ || opcode === 2 || opcode === 42 || opcode === 36) continue;
  if (opcode === 1) { // LOOKUP
    const id = find(nodeid, nameAt(buf, 40, n));
    if (id === null) reply(unique, ENOENT); else reply(unique, 0, entry(id));
  } else if (opcode === 3) { // GETATTR
    if (!nodes.has(nodeid)) { reply(unique, ENOENT); continue; }
    reply(unique, 0, Buffer.concat([Buffer.alloc(16), attr(nodeid)]));
  } else if (opcode === 9 || opcode === 35) { // MKDIR, CREATE
    const name = nameAt(buf, 40 + (opcode === 9 ? 8 : 16), n);
    if (find(nodeid, name) !== null) { reply(unique, EEXIST); continue; }
    const id = next++;
    nodes.set(id, { parent: nodeid, name, mode: opcode === 9 ? 0o40755 : 0o100600 });
    reply(unique, 0, opcode === 9 ? entry(id) : Buffer.concat([entry(id), Buffer.alloc(16)]));
  } else reply(unique, ENOSYS);
}
`;
