import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMysqlDatabase, dropMysqlDatabase, probeMysql, scratchName, seedMysqlAwkward, withMysql } from '../testing/db-fixtures';
import { mysqlEnv, shouldSkip } from '../testing/services';
import { MysqlDumpSplitter, type MysqlLoader } from './mysql-dump-split';

const run = promisify(execFile);
const reason = await probeMysql();

/** A loader that keeps what it is given, and tells (in `events`) when it is asked to run it and when that is done. */
class FakeLoader implements MysqlLoader {
  readonly chunks: Buffer[] = [];
  /** What it was given: the emptiest loader takes each statement. */
  writableLength = 0;
  constructor(
    readonly k: number,
    private readonly events: string[],
  ) {}
  write(chunk: Buffer): void {
    this.chunks.push(Buffer.from(chunk));
    this.writableLength += chunk.length;
    if (this.k > 0 && chunk.toString('latin1').startsWith('INSERT INTO `')) this.events.push(`insert ${this.k}`);
    if (chunk.toString('latin1').includes('ENABLE KEYS')) this.events.push(`enable ${this.k}`);
  }
  executed(): Promise<void> {
    const at = this.text().length;
    this.events.push(`asked ${this.k} ${at}`);
    // Later than a microtask: the splitter must wait for it, not find it done.
    return new Promise((resolve) =>
      setTimeout(() => {
        this.events.push(`ran ${this.k} ${at}`);
        resolve();
      }, 1),
    );
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('latin1');
  }
}

/** The dump's statements that start a line with INSERT, each up to the `;` ending a line. */
function inserts(text: string): string[] {
  return [...text.matchAll(/^INSERT INTO `[\s\S]*?;\n/gm)].map((m) => m[0]);
}

async function split(dump: Buffer, loaders: number, piece: number, events: string[] = []): Promise<FakeLoader[]> {
  const fakes = Array.from({ length: loaders }, (_, k) => new FakeLoader(k, events));
  const splitter = new MysqlDumpSplitter(fakes);
  for (let at = 0; at < dump.length; at += piece) {
    await splitter.feed(dump.subarray(at, at + piece));
    // Time for the lead's marks to come back, as a real client's would.
    if (Math.floor((at + piece) / 4096) > Math.floor(at / 4096)) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  await splitter.finish();
  return fakes;
}

describe.skipIf(shouldSkip('MariaDB', reason))('MysqlDumpSplitter on real mariadb-dump output', () => {
  const database = scratchName('mysplit');
  let dump: Buffer;
  let header: string;

  async function dumpOf(name: string, extra: string[] = []): Promise<Buffer> {
    const args = [`--host=${mysqlEnv.host}`, `--port=${mysqlEnv.port}`, `--user=${mysqlEnv.user}`, '--protocol=TCP', '--single-transaction', '--routines', '--triggers', '--events', '--hex-blob', ...extra, '--', name];
    const { stdout } = await run('mariadb-dump', args, { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  }

  beforeAll(async () => {
    await createMysqlDatabase(database);
    await seedMysqlAwkward(database);
    await withMysql(database, (c) => c.query('CREATE TABLE `empty one` (id INT)'));
    // Small statements: many of them for a small database.
    dump = await dumpOf(database, ['--net-buffer-length=4096']);
    const text = dump.toString('latin1');
    // Up to the first statement that is not a session setting: comments and blank lines go to every loader too.
    header = text.slice(0, text.indexOf('DROP TABLE IF EXISTS'));
  });

  afterAll(async () => {
    await dropMysqlDatabase(database);
  });

  it.each([3, 7, 4099, 65536])('deals whole INSERT statements out, everything else to the lead, fed %i bytes at a time', async (piece) => {
    const [lead, ...others] = await split(dump, 3, piece);
    const text = dump.toString('latin1');
    const all = inserts(text);
    expect(all.length).toBeGreaterThan(100);
    const dealt = others.map((o) => inserts(o.text()));
    // Every statement once, whole, and the rows of the big table on every loader.
    expect([...inserts(lead!.text()), ...dealt.flat()].sort()).toEqual([...all].sort());
    for (const d of dealt) expect(d.filter((s) => s.startsWith('INSERT INTO `order items`')).length).toBeGreaterThan(0);
    // The others: the header (with the dump's session settings), then INSERTs only, and marks.
    for (const o of others) {
      const rest = o.text().slice(header.length);
      expect(o.text().startsWith(header)).toBe(true);
      expect(header).toContain('FOREIGN_KEY_CHECKS=0');
      expect(rest.replace(/^INSERT INTO `[\s\S]*?;\n/gm, '')).toBe('');
    }
    // The lead: the dump but the tables' locks, in order, with some of the INSERTs.
    const withoutRows = (t: string): string => t.replace(/^INSERT INTO `[\s\S]*?;\n/gm, '');
    expect(withoutRows(lead!.text())).toBe(withoutRows(text.replace(/^(UN)?LOCK TABLES.*\n/gm, '')));
  });

  it('gives no loader rows before the lead ran the table, and runs nothing after rows before every loader ran its own', async () => {
    const events: string[] = [];
    await split(dump, 3, 4099, events);
    const enables = events.flatMap((e, i) => (e.startsWith('enable') ? [i] : []));
    expect(enables.length).toBeGreaterThanOrEqual(2);
    for (const at of enables) {
      // Every loader asked before it has answered before it.
      for (const [i, e] of events.slice(0, at).entries()) {
        if (!e.startsWith('asked ')) continue;
        const ran = events.indexOf(e.replace('asked', 'ran'), i);
        expect(ran).toBeGreaterThan(i);
        expect(ran).toBeLessThan(at);
      }
    }
    const dealt = events.flatMap((e, i) => (/^insert [12]$/.test(e) ? [i] : []));
    expect(dealt.length).toBeGreaterThan(50);
    for (const at of dealt) {
      // Since the last table's end, the lead was asked and has answered.
      const since = enables.filter((e) => e < at).pop() ?? -1;
      const window = events.slice(since + 1, at);
      expect(window.some((e) => e.startsWith('ran 0 '))).toBe(true);
    }
  });

  it("gives every loader a versioned table's history setting (mariadb-dump --dump-history) before the rows it takes, and its reset after", async () => {
    const versioned = scratchName('myhist');
    await createMysqlDatabase(versioned);
    try {
      await withMysql(versioned, (c) =>
        c.query("CREATE TABLE ledger (id INT PRIMARY KEY, note VARCHAR(200)) WITH SYSTEM VERSIONING; INSERT INTO ledger SELECT seq, REPEAT('x', 100) FROM seq_1_to_2000; UPDATE ledger SET note = 'changed'"),
      );
      const history = await dumpOf(versioned, ['--dump-history', '--net-buffer-length=4096']);
      const [, ...others] = await split(history, 3, 4099);
      for (const o of others) {
        const text = o.text();
        const first = text.indexOf('INSERT INTO `ledger`');
        expect(first).toBeGreaterThan(0);
        const set = text.indexOf('system_versioning_insert_history=1');
        expect(set).toBeGreaterThan(-1);
        expect(set).toBeLessThan(first);
        expect(text.lastIndexOf('system_versioning_insert_history=@old')).toBeGreaterThan(text.lastIndexOf('INSERT INTO `ledger`'));
      }
    } finally {
      await dropMysqlDatabase(versioned);
    }
  });

  it('gives a dump whose strings are not escaped with backslashes to the lead, as it is', async () => {
    const text = dump.toString('latin1').replace("SQL_MODE='NO_AUTO_VALUE_ON_ZERO'", "SQL_MODE='NO_AUTO_VALUE_ON_ZERO,NO_BACKSLASH_ESCAPES'");
    const [lead, ...others] = await split(Buffer.from(text, 'latin1'), 2, 65536);
    expect(lead!.text()).toBe(text);
    expect(inserts(others[0]!.text())).toEqual([]);
  });

  it('gives everything after a USE to the lead', async () => {
    const text = dump.toString('latin1');
    const at = text.indexOf('--\n-- Table structure for table `order items`');
    const used = `${text.slice(0, at)}USE \`elsewhere\`;\n${text.slice(at)}`;
    const [lead, other] = await split(Buffer.from(used, 'latin1'), 2, 65536);
    expect(inserts(other!.text()).filter((s) => s.startsWith('INSERT INTO `order items`'))).toEqual([]);
    expect(lead!.text()).toContain('LOCK TABLES `order items` WRITE;');
  });

  it('refuses a dump cut inside an INSERT', async () => {
    const text = dump.toString('latin1');
    const cut = Buffer.from(text.slice(0, text.indexOf('INSERT INTO `order items`') + 100), 'latin1');
    await expect(split(cut, 2, 4099)).rejects.toThrow(/ends inside an INSERT/);
  });

  it('splits a mysqldump-style dump, a statement a line, the same way', async () => {
    const oneLine = await dumpOf(database, ['--net-buffer-length=4096', '--skip-extended-insert']);
    const [lead, other] = await split(oneLine, 2, 4099);
    const all = inserts(oneLine.toString('latin1'));
    expect(all.length).toBeGreaterThan(2000);
    expect([...inserts(lead!.text()), ...inserts(other!.text())].sort()).toEqual([...all].sort());
    expect(inserts(other!.text()).length).toBeGreaterThan(0);
  });
});
