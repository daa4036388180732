/** A name as an identifier: double quotes, each one inside doubled. */
export function pgQuoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string as a SQL literal whatever standard_conforming_strings is: E'...', backslashes and quotes doubled. */
export function pgLiteral(value: string): string {
  return `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
