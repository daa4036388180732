import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { MAX_PACKET_BYTES, withPacketAdvice } from './mysql-packet-advice';

const goneAway = new AppError('RESTORE_FAILED', 'The restore into shop failed: mariadb exited with code 1: ERROR 2006 (HY000) at line 39: Server has gone away', { database: 'shop' });

describe('withPacketAdvice', () => {
  it("adds the server's max_allowed_packet and how to raise it to a connection the server ended, keeping the code and details", async () => {
    const advised = (await withPacketAdvice(goneAway, async () => 4 * 1024 * 1024)) as AppError;
    expect(advised.code).toBe('RESTORE_FAILED');
    expect(advised.details).toEqual({ database: 'shop', maxAllowedPacket: 4 * 1024 * 1024 });
    expect(advised.message).toBe(
      "The restore into shop failed: mariadb exited with code 1: ERROR 2006 (HY000) at line 39: Server has gone away. The server ended the connection: it was stopped or restarted, the connection was killed or dropped, or a statement was too large. This server's max_allowed_packet is 4.0 MiB, and it ends the connection of a statement larger than that: the dump writes each row in one INSERT, a BLOB or binary value in hex (twice its size), so a row of more than 2.0 MiB or so does not fit. If the backup holds rows that large, raise it on this server, as an administrator: SET GLOBAL max_allowed_packet = 1073741824; (new connections take it; max_allowed_packet = 1G under [mysqld] in its configuration keeps it after a restart), then restore again.",
    );
  });

  it("MySQL's own words for it get the same advice", async () => {
    const mysql = new AppError('RESTORE_FAILED', "mysql exited with code 1: ERROR 1153 (08S01) at line 12: Got a packet bigger than 'max_allowed_packet' bytes");
    const advised = ((await withPacketAdvice(mysql, async () => 64 * 1024 * 1024)) as AppError).message;
    // Named by the server: no other cause to weigh.
    expect(advised).toContain("Got a packet bigger than 'max_allowed_packet' bytes. This server's max_allowed_packet is 64.0 MiB");
    expect(advised).toContain('does not fit. Raise it on this server, as an administrator');
  });

  it('leaves the error as it was when the server cannot be asked (it did go away), its limit is already the largest, or the error is another', async () => {
    expect(await withPacketAdvice(goneAway, () => Promise.reject(new Error('ECONNREFUSED')))).toBe(goneAway);
    expect(await withPacketAdvice(goneAway, async () => MAX_PACKET_BYTES)).toBe(goneAway);
    expect(await withPacketAdvice(goneAway, async () => Number.NaN)).toBe(goneAway);
    const other = new AppError('RESTORE_FAILED', "ERROR 1064 (42000) at line 3: You have an error in your SQL syntax");
    let asked = false;
    expect(
      await withPacketAdvice(other, async () => {
        asked = true;
        return 1024;
      }),
    ).toBe(other);
    expect(asked).toBe(false);
    const cancelled = new AppError('CANCELLED', 'ERROR 2013 (HY000): Lost connection to server during query');
    expect(await withPacketAdvice(cancelled, async () => 1024)).toBe(cancelled);
  });
});
