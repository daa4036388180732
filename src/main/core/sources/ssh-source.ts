import type { SourceDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import type { SourceContext, SourceDriver } from './source-driver';
import { createMysqlExecSource } from './ssh-exec-mysql';
import { createPostgresExecSource } from './ssh-exec-postgres';
import { SshLink } from './ssh-link';
import { SshTunnelSource } from './ssh-tunnel-source';

/**
 * A source reached over SSH. `exec`: the dump tools run on the SSH host and their output streams
 * back over the channel. `tunnel`: the database port is forwarded to a loopback listener here and
 * the ordinary driver and local tools connect through it. Both share one SSH connection per driver,
 * with the host key pinned on first use (`ctx.onHostKeyPinned`) and a changed key refused.
 */
export function createSshSource(dto: SourceDto, secrets: Record<string, string>, ctx: SourceContext): SourceDriver {
  const ssh = dto.ssh;
  if (!ssh) throw new AppError('VALIDATION_FAILED', `Source ${dto.name} has no SSH settings.`, { sourceId: dto.id });
  if (dto.engine === 'sqlite') {
    throw new AppError('VALIDATION_FAILED', `Source ${dto.name} is a SQLite file, which is read where Vaultdesk runs: remove its SSH settings.`, { sourceId: dto.id });
  }
  const link = new SshLink(ssh, secrets, ctx);
  if (ssh.mode === 'tunnel') return new SshTunnelSource(dto, secrets, ctx, link);
  return dto.engine === 'postgres' ? createPostgresExecSource(dto, secrets, ctx, link) : createMysqlExecSource(dto, secrets, ctx, link);
}
