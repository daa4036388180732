import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import type { ToolVersion } from './client-tools';
import { dumpForClient, readsSandboxLine } from './mysql-sandbox-line';

const mariadb = (version: string): ToolVersion => ({ text: `mariadb from ${version}-MariaDB`, flavor: 'mariadb', parts: version.split('.').map(Number) });
const mysql8: ToolVersion = { text: 'mysql  Ver 8.0.36 for Linux on x86_64', flavor: 'mysql', parts: [8, 0, 36] };
const SANDBOX = '/*M!999999\\- enable the sandbox mode */ \n';
const REST = '-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB\nCREATE TABLE t (id INT);\nINSERT INTO t VALUES (1);\n';

/** The bytes a client gets, the dump fed `size` bytes at a time. */
async function fed(dump: string, client: ToolVersion, size = 7): Promise<string> {
  const bytes = Buffer.from(dump);
  const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
  return text(dumpForClient(Readable.from(chunks), client));
}

describe('the sandbox line of MariaDB dumps', () => {
  it('is read by MariaDB clients from the releases that write it on, and by no MySQL client', () => {
    for (const v of ['10.5.25', '10.6.18', '10.11.8', '10.11.19', '11.0.6', '11.1.5', '11.2.4', '11.4.2', '11.8.3', '12.0.1']) expect(readsSandboxLine(mariadb(v)), v).toBe(true);
    for (const v of ['10.5.24', '10.6.17', '10.11.7', '10.10.7', '11.3.2', '11.4.1', '10.4.34']) expect(readsSandboxLine(mariadb(v)), v).toBe(false);
    expect(readsSandboxLine(mysql8)).toBe(false);
  });

  it('goes to a client that reads it as it came, and is left out for one that does not, however the bytes are cut', async () => {
    expect(await fed(SANDBOX + REST, mariadb('10.11.19'))).toBe(SANDBOX + REST);
    for (const size of [1, 7, 44, 45, 4096]) {
      expect(await fed(SANDBOX + REST, mysql8, size)).toBe(REST);
      expect(await fed(SANDBOX.replace(' \n', '\r\n') + REST, mariadb('10.11.7'), size)).toBe(REST);
    }
  });

  it('leaves every other dump whole: another first line, a long one, one with no end, an empty dump', async () => {
    expect(await fed(REST, mysql8)).toBe(REST);
    expect(await fed(`-- ${'x'.repeat(300)}\n${REST}`, mysql8)).toBe(`-- ${'x'.repeat(300)}\n${REST}`);
    expect(await fed('/*M!999999\\- enable the sandbox mode */', mysql8)).toBe('/*M!999999\\- enable the sandbox mode */');
    expect(await fed(`SELECT 1;\n${SANDBOX}`, mysql8)).toBe(`SELECT 1;\n${SANDBOX}`);
    expect(await fed('', mysql8)).toBe('');
  });

  it('fails with the dump: a client never sees the end of a dump that failed', async () => {
    const input = new Readable({ read() {} });
    const out = dumpForClient(input, mysql8);
    const reading = text(out);
    input.push(Buffer.from(SANDBOX + REST));
    input.destroy(new Error('sha256 mismatch'));
    await expect(reading).rejects.toThrow('sha256 mismatch');
  });
});
