import { processesWithOpen, type OpenBy } from '../files/open-by';

/** The other processes that have the SQLite file, or its WAL, shared-memory or journal file, open now. */
export function sqliteFileUsers(file: string): OpenBy[] {
  return processesWithOpen(['', '-wal', '-shm', '-journal'].map((suffix) => `${file}${suffix}`));
}
