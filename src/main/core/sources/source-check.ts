import type { SourceDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { formatDuration, withDeadline } from '../deadline';
import { createSourceDriver, type SourceContext, type SourceDriver } from './source-driver';

/** How long `sources:test` and `sources:databases` may take (longer than every driver's own connect timeout). */
export const SOURCE_CHECK_MS = 30_000;

/**
 * Runs `use` on a fresh driver for `dto`, and fails with TIMEOUT naming what did not answer
 * once `deadlineMs` have passed, however the server misbehaves (accepts the connection and
 * then says nothing, or answers the login and never the query).
 */
export async function checkSource<T>(dto: SourceDto, secrets: Record<string, string>, ctx: SourceContext, what: 'test' | 'list databases', use: (driver: SourceDriver) => Promise<T>, deadlineMs = SOURCE_CHECK_MS): Promise<T> {
  const driver = createSourceDriver(dto, secrets, ctx);
  let late = false;
  try {
    return await withDeadline(use(driver), deadlineMs, () => {
      late = true;
      const doing = what === 'test' ? 'The test of' : 'Listing the databases of';
      return new AppError('TIMEOUT', `${doing} source "${dto.name}" did not finish within ${formatDuration(deadlineMs)}: ${silentParty(dto)}`, { source: dto.name });
    });
  } finally {
    const closing = driver.close().catch(() => undefined);
    if (!late) await closing;
  }
}

function silentParty(dto: SourceDto): string {
  const product = dto.engine === 'postgres' ? 'PostgreSQL' : 'MySQL/MariaDB';
  if (dto.engine === 'sqlite') return `the file ${dto.path ?? ''} could not be read in time (a network share that stopped responding?).`;
  const server = `the ${product} server ${dto.host ?? ''}:${dto.port ?? ''}`;
  if (dto.ssh) return `the SSH server ${dto.ssh.host}:${dto.ssh.port}, or ${server} behind it, did not answer. Check the host names, ports and firewalls on the way.`;
  return `${server} did not answer. Check the host and port, the firewall, and that the server is up and not overloaded.`;
}
