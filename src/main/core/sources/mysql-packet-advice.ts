import { continued } from '../../../shared/domain/sentences';
import { AppError } from '../../../shared/ipc/result';
import { formatBytes } from '../destinations/local-files';

/** The most a MySQL or MariaDB server or client takes in one packet, and what the clients are given. */
export const MAX_PACKET_BYTES = 1024 * 1024 * 1024;

/*
 * A dump writes each row in one INSERT, a BLOB in hex: a 12 MiB value is a 24 MiB statement. The
 * dump and restore clients are given the largest packet there is, but the server that restores
 * keeps its own max_allowed_packet (16 MiB by default on MariaDB, 64 MiB on MySQL 8), which no
 * session may raise. A larger statement ends the connection: MariaDB's client says only "Server
 * has gone away" (2006) or "Lost connection" (2013), MySQL's may say 1153.
 */
const CONNECTION_ENDED = /ERROR (?:2006|2013) \(HY000\)|ERROR 1153 \(08S01\)|bigger than 'max_allowed_packet'/;
const PACKET_NAMED = /ERROR 1153 \(08S01\)|bigger than 'max_allowed_packet'/;

/**
 * A restore whose connection the target server ended during a statement, with the words that say
 * why when the server's max_allowed_packet is below what a statement may be: its value, and how an
 * administrator raises it. `serverMaxPacket` reads the server's global value; when that fails too
 * (the server did go away) or the value is already the largest, the error is left as it was.
 */
export async function withPacketAdvice(error: unknown, serverMaxPacket: () => Promise<number>): Promise<unknown> {
  if (!(error instanceof AppError) || error.code !== 'RESTORE_FAILED' || !CONNECTION_ENDED.test(error.message)) return error;
  const limit = await serverMaxPacket().catch(() => null);
  if (limit === null || !Number.isFinite(limit) || limit >= MAX_PACKET_BYTES) return error;
  // 1153 names the packet; "gone away" and "lost connection" are also what a KILL, a restart or a network drop give.
  const sure = PACKET_NAMED.test(error.message);
  const advice =
    (sure ? '' : 'The server ended the connection: it was stopped or restarted, the connection was killed or dropped, or a statement was too large. ') +
    `This server's max_allowed_packet is ${formatBytes(limit)}, and it ends the connection of a statement larger than that: ` +
    'the dump writes each row in one INSERT, a BLOB or binary value in hex (twice its size), so a row of more than ' +
    `${formatBytes(limit / 2)} or so does not fit. ${sure ? 'Raise' : 'If the backup holds rows that large, raise'} it on this server, as an administrator: ` +
    `SET GLOBAL max_allowed_packet = ${MAX_PACKET_BYTES}; (new connections take it; max_allowed_packet = 1G ` +
    'under [mysqld] in its configuration keeps it after a restart), then restore again.';
  return new AppError('RESTORE_FAILED', continued(error.message, advice), { ...error.details, maxAllowedPacket: limit });
}
