const RULE = '--------------';
const CLOSING = `\n${RULE}\n\nERROR`;

/**
 * The mariadb client answers a statement that failed in batch mode by printing the statement
 * between two rules, then the error. A dump's statement may be an INSERT of a megabyte of rows, and
 * the kept tail of stderr a cut piece of it: the words keep the error and enough of the statement
 * to name its table, never its rows.
 */
export function withoutEchoedStatement(stderr: string): string {
  const closing = stderr.lastIndexOf(CLOSING);
  if (closing < 0) return stderr;
  const error = stderr.slice(closing + CLOSING.length - 'ERROR'.length).trim();
  const opening = stderr.lastIndexOf(`${RULE}\n`, closing);
  // No opening rule: the statement's start was cut off with the head of stderr, and what is left of it says nothing.
  if (opening < 0 || (opening > 0 && stderr[opening - 1] !== '\n')) return error;
  const before = stderr.slice(0, opening).trim();
  const statement = statementStart(stderr.slice(opening + RULE.length + 1, closing));
  return [before, `${error} (in the statement ${statement})`].filter(Boolean).join('\n');
}

function statementStart(statement: string): string {
  const line = statement.replace(/\s+/g, ' ').trim();
  const insert = /^(?:INSERT|REPLACE)\s+(?:IGNORE\s+)?INTO\s+(?:`(?:[^`]|``)*`|\S+)(?:\s*\([^)]*\))?\s+VALUES\b/i.exec(line);
  if (insert) return `${insert[0]} …`;
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
