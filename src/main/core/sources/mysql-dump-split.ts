import { escapesOff } from './mysql-dump-rows';

/** A `mariadb`/`mysql` client reading its share of a dump. */
export interface MysqlLoader {
  write(chunk: Buffer): unknown;
  /** Bytes written and not yet taken by the client: a statement goes to the loader with the fewest. */
  readonly writableLength: number;
  /** Resolves once the client's server session has run every statement written to it so far; rejects when it exited first. */
  executed(): Promise<void>;
}

/**
 * Deals a `mariadb-dump`/`mysqldump` of one database out to several clients, each with a server
 * session of its own, so that the rows of one table load on several server threads at once.
 *
 * The first client (the lead) gets the whole dump but the rows dealt to the others: every table,
 * view, trigger, routine and event is made by it, in the dump's order. Every client gets the
 * dump's header (`SET NAMES`, `TIME_ZONE`, `FOREIGN_KEY_CHECKS=0`, `SQL_MODE`...), so each session
 * reads the rows as the lead would. A table's data section is
 *
 *     LOCK TABLES `t` WRITE;
 *     /*!40000 ALTER TABLE `t` DISABLE KEYS *\/;
 *     INSERT INTO `t` VALUES ...;       (one statement of many rows, on one line or a row a line)
 *     /*!40000 ALTER TABLE `t` ENABLE KEYS *\/;
 *     UNLOCK TABLES;
 *
 * and its INSERT statements are dealt whole to the client with the least waiting. The lock is left
 * out: it would hold the other sessions off the table. Order is kept where it matters: no client
 * but the lead takes a table's rows before the lead has run what came before them (the table's
 * CREATE), and the lead runs nothing after a data section's rows (ENABLE KEYS, the table's
 * triggers) before every client has run the rows it was given. `executed()` tells when.
 *
 * A statement ends at the first `;` that ends a line: a value never holds a raw newline in a
 * dump (strings are escaped with backslashes, binary columns are hex with --hex-blob). A dump
 * whose header turns backslash escapes off (NO_BACKSLASH_ESCAPES), or that switches database
 * (`USE`), goes to the lead whole from there on; so does whatever this does not recognise, since
 * only INSERT statements inside a `LOCK TABLES` section are ever dealt.
 */
export class MysqlDumpSplitter {
  #mode: 'header' | 'body' | 'whole' = 'header';
  /** A line's first bytes, held until the line ends or PREFIX_MAX of them are in: enough to tell what it is. */
  readonly #held = Buffer.allocUnsafe(PREFIX_MAX);
  #heldBytes = 0;
  /** Where the rest of a line that was told from its first bytes goes. */
  #lineTo: 'lead' | 'all' | null = null;
  /** The last byte of the current line so far, and whether the line is blank, a comment or a client command. */
  #lastByte = -1;
  #neutral = false;
  /** The last line (not blank, not a comment) ended with `;`: the next line starts a statement. */
  #statementStart = true;
  /** Outside a `DELIMITER ;;` block (routine and trigger bodies, whose lines are not the dump's own). */
  #delimited = true;
  /** Inside a data section (its LOCK TABLES left out). */
  #section = false;
  /** Which section the lead has run up to its first rows: until then, every row goes to it. */
  #sections = 0;
  #leadAsked = -1;
  #leadReady = -1;
  /** Loaders other than the lead given rows since the lead last waited for them. */
  readonly #dealt = new Set<number>();
  /** The INSERT statement being passed on, and whether the previous chunk ended with its `;`. */
  #insertTo: MysqlLoader | null = null;
  #semicolonLast = false;
  /** INSERT statements given to each loader. */
  readonly statements: number[];

  constructor(private readonly loaders: readonly MysqlLoader[]) {
    if (loaders.length === 0) throw new Error('no loaders');
    this.statements = loaders.map(() => 0);
  }

  /** The loaders the next rows may go to. */
  open(): readonly MysqlLoader[] {
    return this.#section && this.#leadReady === this.#sections ? this.loaders : this.loaders.slice(0, 1);
  }

  async feed(chunk: Buffer): Promise<void> {
    let i = 0;
    while (i < chunk.length) {
      if (this.#insertTo) {
        i = this.#insertBytes(chunk, i);
        continue;
      }
      const newline = chunk.indexOf(NEWLINE, i);
      const end = newline === -1 ? chunk.length : newline + 1;
      if (this.#lineTo !== null) {
        this.#emit(this.#lineTo, chunk.subarray(i, end));
        this.#lastByte = lastOfLine(chunk, i, end, this.#lastByte);
        i = end;
        if (newline !== -1) this.#lineEnded();
        continue;
      }
      const take = Math.min(end - i, PREFIX_MAX - this.#heldBytes);
      chunk.copy(this.#held, this.#heldBytes, i, i + take);
      this.#heldBytes += take;
      i += take;
      const whole = this.#held[this.#heldBytes - 1] === NEWLINE;
      if (whole || this.#heldBytes === PREFIX_MAX) await this.#line(whole);
    }
  }

  /** After the last chunk: the dump's last line (mariadb-dump ends without a newline). */
  async finish(): Promise<void> {
    if (this.#insertTo) throw new Error('the dump ends inside an INSERT statement');
    if (this.#heldBytes > 0) await this.#line(true);
  }

  /** An INSERT's bytes, up to and with the newline after its `;`. */
  #insertBytes(chunk: Buffer, start: number): number {
    const to = this.#insertTo!;
    const stop = this.#semicolonLast && chunk[start] === NEWLINE ? start : chunk.indexOf(SEMICOLON_NEWLINE, start);
    if (stop === -1) {
      to.write(chunk.subarray(start));
      this.#semicolonLast = chunk[chunk.length - 1] === SEMICOLON;
      return chunk.length;
    }
    const end = stop + (chunk[stop] === NEWLINE ? 1 : 2);
    to.write(chunk.subarray(start, end));
    this.#insertTo = null;
    this.#statementStart = true;
    return end;
  }

  /** A line's first bytes are in (`whole`: the whole line): where it goes. */
  async #line(whole: boolean): Promise<void> {
    const bytes = Buffer.from(this.#held.subarray(0, this.#heldBytes));
    this.#heldBytes = 0;
    const text = bytes.toString('latin1');
    // A history dump's session setting around a table's rows: every session that takes some of them needs it.
    const historySetting = HISTORY_SETTING.test(text);
    // mariadb-dump's first line, `/*M!999999\- enable the sandbox mode */`, is a command to the client.
    const neutral = text.trim() === '' || text.startsWith('--') || (text.startsWith('/*M!') && !historySetting);
    this.#neutral = neutral;
    if (this.#mode === 'header') {
      if (neutral || HEADER_SET.test(text)) {
        // The dump's own mode: with backslash escapes off, a value may hold a raw newline.
        if (escapesOff(text)) this.#mode = 'whole';
        return this.#pass('all', bytes, whole);
      }
      this.#mode = 'body';
    }
    if (this.#mode === 'whole') return this.#pass('lead', bytes, whole);
    if (historySetting && this.#delimited && this.#statementStart && !this.#section) return this.#pass('all', bytes, whole);
    const starts = this.#delimited && this.#statementStart;
    if (starts && whole && !this.#section && LOCK.test(text)) {
      this.#section = true;
      this.#sections++;
      return;
    }
    if (starts && this.#section && text.startsWith(INSERT)) return this.#insert(bytes);
    if (neutral) return this.#pass('lead', bytes, whole);
    // Whatever follows rows runs after them all: ENABLE KEYS, the table's triggers.
    if (this.#dealt.size > 0) await this.#waitForDealt();
    if (starts && whole && this.#section && text === 'UNLOCK TABLES;\n') {
      this.#section = false;
      this.#statementStart = true;
      return;
    }
    if (starts && SWITCHES_DATABASE.test(text)) this.#mode = 'whole';
    if (whole && text.startsWith('DELIMITER ')) this.#delimited = text.slice('DELIMITER '.length).trim() === ';';
    this.#pass('lead', bytes, whole);
  }

  #insert(bytes: Buffer): void {
    const lead = this.loaders[0]!;
    if (this.#leadAsked !== this.#sections) {
      // The lead has the table's CREATE before these rows: once it has run them, the others may take rows too.
      const section = (this.#leadAsked = this.#sections);
      lead.executed().then(
        () => {
          if (this.#leadReady < section) this.#leadReady = section;
        },
        // A lead that exited fails the restore on its own.
        () => undefined,
      );
    }
    let to = lead;
    let k = 0;
    if (this.#leadReady === this.#sections) {
      for (let j = 1; j < this.loaders.length; j++) {
        if (this.loaders[j]!.writableLength < to.writableLength) {
          to = this.loaders[j]!;
          k = j;
        }
      }
    }
    if (k > 0) this.#dealt.add(k);
    this.statements[k]!++;
    to.write(bytes);
    // The held bytes may hold the whole statement (a short one-line INSERT), or end inside it.
    const end = bytes.indexOf(SEMICOLON_NEWLINE);
    if (end !== -1 && end + 2 === bytes.length) {
      this.#statementStart = true;
      return;
    }
    this.#insertTo = to;
    this.#semicolonLast = bytes[bytes.length - 1] === SEMICOLON;
  }

  async #waitForDealt(): Promise<void> {
    const waiting = [...this.#dealt].map((k) => this.loaders[k]!.executed());
    this.#dealt.clear();
    await Promise.all(waiting);
  }

  #pass(to: 'lead' | 'all', bytes: Buffer, whole: boolean): void {
    this.#emit(to, bytes);
    this.#lastByte = lastOfLine(bytes, 0, bytes.length, this.#lastByte);
    if (whole) this.#lineEnded();
    else this.#lineTo = to;
  }

  #emit(to: 'lead' | 'all', bytes: Buffer): void {
    if (to === 'lead') this.loaders[0]!.write(bytes);
    else for (const loader of this.loaders) loader.write(bytes);
  }

  /** A line passed on whole: whether the next one starts a statement. Blank lines and comments change nothing. */
  #lineEnded(): void {
    this.#lineTo = null;
    if (!this.#neutral && this.#lastByte !== -1) this.#statementStart = this.#lastByte === SEMICOLON;
    this.#lastByte = -1;
    this.#neutral = false;
  }
}

/** The last byte of a line's bytes from `start` to `end` (its newline, if any, not counted), or `before` when none. */
function lastOfLine(bytes: Buffer, start: number, end: number, before: number): number {
  let last = end - 1;
  if (last >= start && bytes[last] === NEWLINE) last--;
  return last >= start ? bytes[last]! : before;
}

const NEWLINE = 0x0a;
const SEMICOLON = 0x3b;
const SEMICOLON_NEWLINE = Buffer.from(';\n');
const INSERT = 'INSERT INTO `';
const LOCK = /^LOCK TABLES `(?:[^`]|``)+` WRITE;\n$/;
/** The header's session settings, versioned comments as both dump tools write them. */
const HEADER_SET = /^\/\*!\d{5} SET /;
/**
 * mariadb-dump --dump-history's `/*M!101100 SET ... system_versioning_insert_history=1 *\/;` before a
 * versioned table's rows (the row periods are then taken as written) and the line that puts it back after.
 */
const HISTORY_SETTING = /^\/\*M!\d{6} SET .*system_versioning_insert_history/;
const SWITCHES_DATABASE = /^(?:USE\b|CREATE DATABASE\b|\/\*!\d{5} CREATE DATABASE\b)/i;
/** Longer than any line the splitter tells apart (a LOCK TABLES of a 64-character name, quoted). */
const PREFIX_MAX = 1024;
