import type { TableCountDto } from '../../../shared/domain/restores';

/**
 * The rows a `mariadb-dump` of one database loads into each of its tables, counted while it streams
 * to the `mariadb` client.
 *
 * The dump writes each table's data between `LOCK TABLES `t` WRITE;` and `UNLOCK TABLES;`, under a
 * `-- Dumping data for table `t`` comment, as extended INSERTs with one row per line:
 *
 *     INSERT INTO `t` VALUES
 *     (1,'a\'b',0x00FF),
 *     (2,NULL,NULL);
 *
 * A value never holds a raw newline there (strings are escaped, `\n` for a newline; binary columns
 * are hex with --hex-blob), so every line of an INSERT is one row, starting with `(` and ending with
 * `),` or `);`. The client stops at the first failed statement and exits non-zero, so once it has
 * exited 0 these are the rows in the tables; triggers come after their table's data, so none fires
 * while it loads.
 *
 * Anything else ends in null, and the restore counts with SQL as before: MySQL's mysqldump, which
 * writes a statement's rows on one line; a section line this does not know; a dump cut short; a
 * dump that does not use backslash escapes.
 */
export class MysqlDumpRowCounter {
  #at: 'outside' | 'section' | 'rows' = 'outside';
  /** Outside a `DELIMITER ;;` block (routine and trigger bodies, whose lines are not the dump's own). */
  #delimited = true;
  /** The quoted name of the last `-- Dumping data for table` comment, until another line intervenes. */
  #announced: string | null = null;
  /** The quoted name of the table whose data section this is. */
  #table = '';
  #rows = 0;
  readonly #counted = new Map<string, number>();
  #completed = false;
  #failed = false;
  /** The current line: its first bytes (up to PREFIX_MAX), its length, its last two bytes (as one number). */
  readonly #prefix = Buffer.allocUnsafe(PREFIX_MAX);
  #prefixBytes = 0;
  #lineBytes = 0;
  #lastTwo = 0;

  /** Never throws: what it cannot follow turns the count off, never the restore. */
  feed(chunk: Buffer): void {
    if (this.#failed) return;
    try {
      this.#walk(chunk);
    } catch {
      this.#failed = true;
    }
  }

  /** Every table the dump loads, with its rows; null when they are not known for certain. */
  finish(): TableCountDto[] | null {
    if (this.#failed || this.#at !== 'outside' || !this.#completed) return null;
    const tables: TableCountDto[] = [];
    for (const [quoted, rows] of this.#counted) {
      const table = unquote(quoted);
      if (table === null) return null;
      tables.push({ schema: null, table, rows });
    }
    return tables;
  }

  /** One indexOf per line: a row costs a search for its newline and a few comparisons, and allocates nothing. */
  #walk(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, i);
      const end = newline === -1 ? chunk.length : newline;
      if (end > i) {
        // A row line needs only its first byte; other lines are compared by their start.
        const room = this.#at === 'rows' ? Math.min(1, end - i) : end - i;
        const take = Math.min(room, PREFIX_MAX - this.#prefixBytes);
        if (take > 0) this.#prefixBytes += chunk.copy(this.#prefix, this.#prefixBytes, i, i + take);
        this.#lastTwo = end - i >= 2 ? chunk[end - 2]! * 256 + chunk[end - 1]! : (this.#lastTwo & 0xff) * 256 + chunk[end - 1]!;
        this.#lineBytes += end - i;
      }
      if (newline === -1) return;
      this.#line();
      this.#prefixBytes = 0;
      this.#lineBytes = 0;
      this.#lastTwo = 0;
      i = newline + 1;
    }
  }

  #line(): void {
    if (this.#at === 'rows') {
      if (this.#prefix[0] !== OPEN || this.#lineBytes < 3) throw new Error('not a row');
      this.#rows++;
      if (this.#lastTwo === ROW_THEN_ROW) return;
      if (this.#lastTwo !== LAST_ROW) throw new Error('not a row');
      this.#at = 'section';
      return;
    }
    // Lines longer than the prefix are data or definitions, never one of the lines below.
    const text = this.#lineBytes <= PREFIX_MAX ? this.#prefix.toString('utf8', 0, this.#prefixBytes) : null;
    if (this.#at === 'section') this.#sectionLine(text);
    else this.#outsideLine(text);
  }

  #sectionLine(text: string | null): void {
    if (this.#prefixBytes >= 3 && this.#prefix[0] === SLASH && this.#prefix[1] === STAR && this.#prefix[2] === BANG) return;
    if (text === 'UNLOCK TABLES;') {
      this.#counted.set(this.#table, (this.#counted.get(this.#table) ?? 0) + this.#rows);
      this.#at = 'outside';
      return;
    }
    const insert = `INSERT INTO ${this.#table} `;
    if (text === `${insert}VALUES`) {
      this.#at = 'rows';
      return;
    }
    // With a column list (--complete-insert, invisible columns) the first row follows on the same line.
    const head = text ?? this.#prefix.toString('utf8', 0, this.#prefixBytes);
    const values = head.startsWith(`${insert}(`) ? head.indexOf(') VALUES') : -1;
    if (values === -1) throw new Error('unknown line in a data section');
    const rest = values + ') VALUES'.length;
    if (text !== null && rest === text.length) {
      this.#at = 'rows';
      return;
    }
    // Only `),` at its end says that this line holds one row: a line ending `);` may be the whole
    // statement on one line, several rows, as older mariadb-dump and MySQL's mysqldump write it.
    if (head.slice(rest, rest + 2) !== ' (' || this.#lastTwo !== ROW_THEN_ROW) throw new Error('unknown line in a data section');
    this.#rows++;
    this.#at = 'rows';
  }

  #outsideLine(text: string | null): void {
    if (text?.startsWith('DELIMITER ')) {
      this.#delimited = text.slice('DELIMITER '.length).trim() === ';';
      this.#announced = null;
      return;
    }
    if (!this.#delimited || text === null) {
      this.#announced = null;
      return;
    }
    // The dump's own mode, in its header; a routine's or trigger's (set before each) is theirs alone.
    if (text.startsWith(DUMP_SQL_MODE) && text.includes('NO_BACKSLASH_ESCAPES')) throw new Error('strings not escaped with backslashes');
    if (text.startsWith(DATA_COMMENT)) {
      this.#announced = text.slice(DATA_COMMENT.length);
      return;
    }
    if (text === '--' || text === '') return;
    if (this.#announced !== null && text === `LOCK TABLES ${this.#announced} WRITE;`) {
      this.#table = this.#announced;
      this.#rows = 0;
      this.#at = 'section';
    } else if (text.startsWith('-- Dump completed')) {
      this.#completed = true;
    }
    this.#announced = null;
  }
}

/** `we``ird` as the name it quotes; null for what is not one quoted name. */
function unquote(quoted: string): string | null {
  const inner = quoted.slice(1, -1);
  if (quoted.length < 3 || !quoted.startsWith('`') || !quoted.endsWith('`') || inner.replaceAll('``', '').includes('`')) return null;
  return inner.replaceAll('``', '`');
}

const NEWLINE = 0x0a;
const OPEN = 0x28;
const SLASH = 0x2f;
const STAR = 0x2a;
const BANG = 0x21;
/** `),` and `);` as two bytes. */
const ROW_THEN_ROW = 0x29 * 256 + 0x2c;
const LAST_ROW = 0x29 * 256 + 0x3b;
const DATA_COMMENT = '-- Dumping data for table ';
const DUMP_SQL_MODE = '/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE=';
/** A table name is at most 64 characters (256 bytes quoted); a column list of a few thousand columns fits. */
const PREFIX_MAX = 256 * 1024;
