import { readdirSync, readFileSync } from 'node:fs';

/** One process as seen in /proc: its command line and environment, split at NUL. */
export interface ProcessSighting {
  pid: number;
  argv: string[];
  env: string[];
}

function readParts(file: string): string[] | null {
  try {
    return readFileSync(file, 'latin1').split('\0').filter((p) => p.length > 0);
  } catch {
    // Gone between the listing and the read, or not ours to read.
    return null;
  }
}

/**
 * Samples every process on the machine every few milliseconds until stopped (Linux /proc; run
 * as root to read other users' environments). Short-lived processes can be missed, so a test
 * should also check that the processes it cares about were seen.
 */
export function watchProcesses(intervalMs = 5): { stop(): ProcessSighting[] } {
  const seen = new Map<string, ProcessSighting>();
  let timer: NodeJS.Timeout | null = null;
  const sweep = (): void => {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const argv = readParts(`/proc/${entry}/cmdline`);
      if (!argv || argv.length === 0) continue;
      const key = `${entry}\0${argv.join('\0')}`;
      if (seen.has(key)) continue;
      const env = readParts(`/proc/${entry}/environ`) ?? [];
      // A process that exec'd between the two reads (a shell's forked child becoming the tool)
      // would pair one program's command line with the next one's environment: the next sweep
      // sees it as what it became.
      if (readParts(`/proc/${entry}/cmdline`)?.join('\0') !== argv.join('\0')) continue;
      seen.set(key, { pid: Number(entry), argv, env });
    }
    timer = setTimeout(sweep, intervalMs);
  };
  sweep();
  return {
    stop: () => {
      if (timer) clearTimeout(timer);
      return [...seen.values()];
    },
  };
}
