import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A process as any local user could read it in /proc while it ran. */
export interface SeenProcess {
  pid: number;
  argv: string[];
  /** `NAME=value` entries; readable only by its owner (or root), unlike argv. */
  environ: string[];
}

/** Live descendants of this process (Linux /proc) whose argv[0] is named one of `names`. */
export function descendantsNamed(names: readonly string[]): SeenProcess[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name in parentheses may hold spaces and parentheses: fields follow the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), Number(fields[1]));
    } catch {
      // Exited meanwhile.
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = parentOf.get(pid); p !== undefined && p > 1; p = parentOf.get(p)) if (p === process.pid) return true;
    return false;
  };
  const seen: SeenProcess[] = [];
  for (const pid of parentOf.keys()) {
    if (!descends(pid)) continue;
    try {
      const argv = nulSeparated(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
      if (!names.includes(path.basename(argv[0] ?? ''))) continue;
      seen.push({ pid, argv, environ: nulSeparated(readFileSync(`/proc/${pid}/environ`, 'utf8')) });
    } catch {
      // Exited meanwhile.
    }
  }
  return seen;
}

/**
 * Looks at /proc every `intervalMs` until stopped, and returns every distinct process (pid and
 * argv) it saw. It runs on the caller's event loop, so it sees only while that loop is free.
 */
export function watchDescendants(names: readonly string[], intervalMs = 10): { stop: () => SeenProcess[] } {
  const seen = new Map<string, SeenProcess>();
  const look = (): void => {
    for (const p of descendantsNamed(names)) seen.set(`${p.pid}\0${p.argv.join('\0')}`, p);
  };
  look();
  const timer = setInterval(look, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      look();
      return [...seen.values()];
    },
  };
}

function nulSeparated(text: string): string[] {
  const parts = text.split('\0');
  if (parts.at(-1) === '') parts.pop();
  return parts;
}

/** Whether `pid` names a process at all (a zombie nobody reaped yet included). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether `pid` is a live process (Linux /proc): a zombie nobody reaped yet, a terminated worker's child say, counts as gone. */
export function processRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
