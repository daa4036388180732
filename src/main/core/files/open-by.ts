import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface OpenBy {
  pid: number;
  /** The program's name, as the system gives it (`python3`, `node`). */
  command: string;
}

/**
 * The other processes that have one of `files` open, as Linux's /proc tells: a SQLite file a
 * restore would replace while an application writes it. Only the processes this user may look
 * into are seen (all of them as root); elsewhere than Linux, none (Windows refuses the rename of
 * an open file by itself).
 */
export function processesWithOpen(files: readonly string[], self = process.pid): OpenBy[] {
  if (process.platform !== 'linux') return [];
  const wanted = new Set(files);
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name) && Number(name) !== self);
  } catch {
    return [];
  }
  const found: OpenBy[] = [];
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      // Gone meanwhile, or another user's.
      continue;
    }
    const opened = fds.some((fd) => {
      try {
        return wanted.has(readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        return false;
      }
    });
    if (opened) found.push({ pid: Number(pid), command: commandOf(pid) });
  }
  return found;
}

/** "python3 (process 4242)", "2 processes: python3 (4242), node (4300)". */
export function openByWords(found: readonly OpenBy[]): string {
  if (found.length === 1) return `${found[0]!.command} (process ${found[0]!.pid})`;
  return `${found.length} processes: ${found.map((p) => `${p.command} (${p.pid})`).join(', ')}`;
}

function commandOf(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() || 'a process';
  } catch {
    return 'a process';
  }
}
