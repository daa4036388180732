import { execFileSync } from 'node:child_process';

/**
 * Integration tests need real servers and tools. A missing one skips its tests with a printed
 * reason, except under VAULTDESK_REQUIRE_ALL=1 (CI), where it fails the run instead.
 *
 *   const reason = await probeCommand('age');
 *   describe.skipIf(shouldSkip('age CLI', reason))('...', () => { ... });
 */
export function shouldSkip(what: string, reason: string | null): boolean {
  if (reason === null) return false;
  const message = `${what} is not available: ${reason}`;
  if (process.env.VAULTDESK_REQUIRE_ALL === '1') throw new Error(`${message} (VAULTDESK_REQUIRE_ALL=1 forbids skipping)`);
  console.warn(`SKIP ${message}`);
  return true;
}

/** null when the command runs, else why not. */
export function probeCommand(command: string, args: string[] = ['--version']): string | null {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 10_000 });
    return null;
  } catch (error) {
    return `${command} ${args.join(' ')} failed: ${(error as Error).message.split('\n')[0]}`;
  }
}

/** Connection settings for the real database servers, from the usual environment variables. */
export const pgEnv = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
  password: process.env.PGPASSWORD ?? '',
};

export const mysqlEnv = {
  host: process.env.MYSQL_HOST ?? '127.0.0.1',
  port: Number(process.env.MYSQL_PORT ?? 3306),
  user: process.env.MYSQL_USER ?? 'root',
  password: process.env.MYSQL_PASSWORD ?? '',
};
