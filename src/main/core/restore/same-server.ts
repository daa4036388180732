import type { SourceDto } from '../../../shared/domain/dto';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/**
 * Whether two sources reach one server, so that a database name means the same database on both:
 * two sources of one server (a reader and an administrator, say) restoring into one database would
 * swap over each other as two restores through one source would. The same engine, host (the
 * loopback's names taken as one) and port, through the same SSH host or none. SQLite targets are
 * files named by their whole path: any two SQLite sources compare them directly.
 */
export function sameServer(a: SourceDto, b: SourceDto): boolean {
  if (a.id === b.id) return true;
  if (a.engine !== b.engine) return false;
  if (a.engine === 'sqlite') return true;
  return serverKey(a) === serverKey(b);
}

function serverKey(source: SourceDto): string {
  const host = (source.host ?? '').trim().toLowerCase();
  const where = `${LOOPBACK.has(host) ? 'loopback' : host}:${source.port ?? ''}`;
  // The loopback of an SSH host is that host's own: it is the SSH host that names the server then.
  const ssh = source.ssh ? `${source.ssh.user}@${source.ssh.host.trim().toLowerCase()}:${source.ssh.port}/` : '';
  return `${source.engine}://${ssh}${where}`;
}
