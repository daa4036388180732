import type { TableCountDto } from '../../../shared/domain/restores';

/**
 * The rows a `mariadb-dump` or `mysqldump` of one database loads into each of its tables, counted
 * while it streams to the `mariadb`/`mysql` client.
 *
 * The dump writes each table's data between `LOCK TABLES `t` WRITE;` and `UNLOCK TABLES;`, under a
 * `-- Dumping data for table `t`` comment, as extended INSERTs. mariadb-dump puts each row on a line
 * of its own, which is counted as a line (a value never holds a raw newline in a dump: strings are
 * escaped, `\n` for a newline, and binary columns are hex with --hex-blob):
 *
 *     INSERT INTO `t` VALUES
 *     (1,'a\'b',0x00FF),
 *     (2,NULL,NULL);
 *
 * Any other layout (MySQL's mysqldump and older mariadb-dumps write a statement's rows on one line,
 * a column list puts the first row on the INSERT's line) is followed byte by byte: a row starts
 * with `(` outside a string, a string ends at a quote not escaped by a backslash.
 *
 * The client stops at the first failed statement and exits non-zero, so once it has exited 0 these
 * are the rows in the tables; triggers come after their table's data, so none fires while it loads.
 * Anything else ends in null, and the restore counts with SQL as before: a section line this does
 * not know (INSERT IGNORE, REPLACE), a dump cut short, a dump that does not escape with backslashes.
 */
export class MysqlDumpRowCounter {
  #at: 'outside' | 'section' | 'rows' | 'head' | 'values' = 'outside';
  /** Outside a `DELIMITER ;;` block (routine and trigger bodies, whose lines are not the dump's own). */
  #delimited = true;
  /** The quoted name of the last `-- Dumping data for table` comment, until another line intervenes. */
  #announced: string | null = null;
  /** The quoted name of the table whose data section this is, and `INSERT INTO `t` ` in bytes. */
  #table = '';
  #insert = Buffer.alloc(0);
  #rows = 0;
  readonly #counted = new Map<string, number>();
  #completed = false;
  #failed = false;
  /** The current line: its first bytes (up to PREFIX_MAX), its length, its last two bytes (as one number). */
  readonly #prefix = Buffer.allocUnsafe(PREFIX_MAX);
  #prefixBytes = 0;
  #lineBytes = 0;
  #lastTwo = 0;
  /** An INSERT's head (`head`): the step, the bytes of it matched, whether inside a quoted column name. */
  #step: 'insert' | 'name' | 'columns' | 'space' | 'values' | 'after' = 'insert';
  #matched = 0;
  #inName = false;
  /** Its rows (`values`): where in them, the backslashes just before the current byte in a string. */
  #value: 'start' | 'tuple' | 'string' | 'after' | 'end' = 'start';
  #backslashes = 0;
  /** The next quote and closing parenthesis in the current chunk: -1 none left in it, -2 not looked for. */
  #quoteAt = -2;
  #closeAt = -2;

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

  /** One indexOf per line, or per string and row of a one-line statement; allocates nothing. */
  #walk(chunk: Buffer): void {
    this.#quoteAt = -2;
    this.#closeAt = -2;
    let i = 0;
    while (i < chunk.length) {
      if (this.#at === 'values') {
        i = this.#values(chunk, i);
        continue;
      }
      if (this.#at === 'head') {
        i = this.#head(chunk, i);
        continue;
      }
      if (this.#at === 'section' && this.#lineBytes === 0 && chunk[i] === INSERT_I) {
        this.#at = 'head';
        this.#step = 'insert';
        this.#matched = 0;
        continue;
      }
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

  /** A data section's lines other than INSERTs: versioned comments for the server (`ALTER TABLE ... DISABLE KEYS`) and its end. */
  #sectionLine(text: string | null): void {
    if (this.#prefixBytes >= 3 && this.#prefix[0] === SLASH && this.#prefix[1] === STAR && this.#prefix[2] === BANG) return;
    if (text !== 'UNLOCK TABLES;') throw new Error('unknown line in a data section');
    this.#counted.set(this.#table, (this.#counted.get(this.#table) ?? 0) + this.#rows);
    this.#at = 'outside';
  }

  /**
   * `INSERT INTO `t` `, an optional column list, `VALUES`, then a newline (one row a line follows:
   * the line-counting fast path) or a space (rows follow on the same line: followed byte by byte).
   */
  #head(chunk: Buffer, start: number): number {
    let i = start;
    while (i < chunk.length) {
      const c = chunk[i++]!;
      switch (this.#step) {
        case 'insert':
          if (c !== this.#insert[this.#matched]) throw new Error('not an INSERT of this table');
          if (++this.#matched === this.#insert.length) this.#step = 'name';
          break;
        case 'name':
          if (c === OPEN) {
            this.#step = 'columns';
            this.#inName = false;
          } else if (c === VALUES[0]) {
            this.#step = 'values';
            this.#matched = 1;
          } else throw new Error('not an INSERT of this table');
          break;
        case 'columns':
          if (c === BACKTICK) this.#inName = !this.#inName;
          else if (c === CLOSE && !this.#inName) this.#step = 'space';
          else if (c === NEWLINE) throw new Error('a column list over several lines');
          break;
        case 'space':
          if (c !== SPACE) throw new Error('not an INSERT of this table');
          this.#step = 'values';
          this.#matched = 0;
          break;
        case 'values':
          if (c !== VALUES[this.#matched]) throw new Error('not an INSERT of this table');
          if (++this.#matched === VALUES.length) this.#step = 'after';
          break;
        case 'after':
          if (c === NEWLINE) this.#at = 'rows';
          else if (c === SPACE) {
            this.#at = 'values';
            this.#value = 'start';
          } else throw new Error('not an INSERT of this table');
          return i;
      }
    }
    return i;
  }

  /** The rows of an INSERT, from after `VALUES` to the newline after its `;`. */
  #values(chunk: Buffer, start: number): number {
    let i = start;
    const n = chunk.length;
    while (i < n) {
      switch (this.#value) {
        case 'start': {
          const c = chunk[i++]!;
          if (c === OPEN) {
            this.#rows++;
            this.#value = 'tuple';
          } else if (c !== SPACE && c !== NEWLINE) throw new Error('not a row');
          break;
        }
        case 'tuple': {
          // Outside strings a row holds numbers, NULL, hex: only a quote or its closing parenthesis matters.
          if (this.#quoteAt === -2 || (this.#quoteAt >= 0 && this.#quoteAt < i)) this.#quoteAt = chunk.indexOf(QUOTE, i);
          if (this.#closeAt === -2 || (this.#closeAt >= 0 && this.#closeAt < i)) this.#closeAt = chunk.indexOf(CLOSE, i);
          const quote = this.#quoteAt;
          const close = this.#closeAt;
          if (close !== -1 && (quote === -1 || close < quote)) {
            i = close + 1;
            this.#value = 'after';
          } else if (quote !== -1) {
            i = quote + 1;
            this.#value = 'string';
            this.#backslashes = 0;
          } else return n;
          break;
        }
        case 'string': {
          // It ends at a quote after an even run of backslashes (none, or escaped backslashes); after an odd run the quote is escaped.
          if (this.#quoteAt === -2 || (this.#quoteAt >= 0 && this.#quoteAt < i)) this.#quoteAt = chunk.indexOf(QUOTE, i);
          const quote = this.#quoteAt;
          const stop = quote === -1 ? n : quote;
          let k = stop;
          while (k > i && chunk[k - 1] === BACKSLASH) k--;
          const run = k === i ? this.#backslashes + (stop - i) : stop - k;
          if (quote === -1) {
            this.#backslashes = run;
            return n;
          }
          i = quote + 1;
          this.#backslashes = 0;
          if (run % 2 === 0) this.#value = 'tuple';
          break;
        }
        case 'after': {
          const c = chunk[i++]!;
          if (c === COMMA) this.#value = 'start';
          else if (c === SEMICOLON) this.#value = 'end';
          else throw new Error('not a row');
          break;
        }
        case 'end':
          if (chunk[i++] !== NEWLINE) throw new Error('not the end of a statement');
          this.#at = 'section';
          return i;
      }
    }
    return i;
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
    if (escapesOff(text)) throw new Error('strings not escaped with backslashes');
    // mariadb-dump --dump-history: a versioned table's INSERT holds every version of its rows, and COUNT(*) sees the current ones.
    if (text.startsWith('/*M!') && text.includes('system_versioning_insert_history=1')) throw new Error('history rows');
    if (text.startsWith(DATA_COMMENT)) {
      this.#announced = text.slice(DATA_COMMENT.length);
      return;
    }
    if (text === '--' || text === '') return;
    if (this.#announced !== null && text === `LOCK TABLES ${this.#announced} WRITE;`) {
      this.#table = this.#announced;
      this.#insert = Buffer.from(`INSERT INTO ${this.#table} `);
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
const SPACE = 0x20;
const OPEN = 0x28;
const CLOSE = 0x29;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;
const QUOTE = 0x27;
const BACKSLASH = 0x5c;
const BACKTICK = 0x60;
const SLASH = 0x2f;
const STAR = 0x2a;
const BANG = 0x21;
const INSERT_I = 0x49;
const VALUES = Buffer.from('VALUES');
/** `),` and `);` as two bytes. */
const ROW_THEN_ROW = CLOSE * 256 + COMMA;
const LAST_ROW = CLOSE * 256 + SEMICOLON;
const DATA_COMMENT = '-- Dumping data for table ';
const DUMP_SQL_MODE = '/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE=';

/** The dump header's own SQL mode line, turning backslash escapes off: a value may then hold a raw newline. */
export function escapesOff(line: string): boolean {
  return line.startsWith(DUMP_SQL_MODE) && line.includes('NO_BACKSLASH_ESCAPES');
}

/** A table name is at most 64 characters (256 bytes quoted); a column list of a few thousand columns fits. */
const PREFIX_MAX = 256 * 1024;
