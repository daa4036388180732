import { parse, quote } from 'shell-quote';
import type { HookCommand } from './dto';

/**
 * A hook as the user typed it, as a command to store. Without a shell the line is split into a
 * program and its arguments the way a POSIX shell would split it (quotes and backslashes), and
 * anything only a shell can do (pipes, `&&`, redirections, `$VAR`, globs, `~`) is refused with the
 * way out named, rather than passed to the program as literal text it would not expect. A line a
 * shell would refuse (a quote never closed) is refused too, rather than split some other way.
 * Returns the command, or the reason it cannot be one and whether a shell would run it; `useShell`
 * is how this host's user asks for a shell (a CLI flag, a form's switch).
 */
export function hookCommandFromLine(line: string, shell: boolean, useShell = 'add --hook-shell to run it with a shell'): { command: HookCommand } | { error: string; needsShell: boolean } {
  const text = line.trim();
  if (!text) return { error: 'the command is empty', needsShell: false };
  if (shell) return { command: { shell: true, script: text } };
  // shell-quote's parse takes an unclosed quote as closed at the end, and ~ as a letter: it says neither.
  const seen = scanLine(text);
  if (seen.unclosed) {
    const { quote: q, at } = seen.unclosed;
    const after = text.slice(at + 1, at + 41);
    return {
      error: `the ${q} ${after ? `before ${after} ` : 'at the end '}is never closed, and a shell would refuse the line too: close it, or write \\${q} where a ${q} is part of an argument`,
      needsShell: false,
    };
  }
  if (seen.trailingBackslash) return { error: 'it ends with a backslash, which a shell would take as the line going on: remove it, or write \\\\ for a backslash', needsShell: false };
  if (seen.tildeWord) {
    // Whose home ~ is depends on the user the job runs as (a daemon's service user, another machine), not on who typed it.
    return { error: `${seen.tildeWord} starts with ~, which only a shell turns into a home folder, that of the user the job runs as: write the full path, or ${useShell}`, needsShell: true };
  }
  const variables: string[] = [];
  const parts = parse(text, (name: string) => {
    variables.push(name);
    return `$${name}`;
  });
  if (variables.length > 0) return { error: `it uses the shell variable $${variables[0]}: ${useShell}, or write the value out`, needsShell: true };
  const argv: string[] = [];
  for (const part of parts) {
    if (typeof part === 'string') argv.push(part);
    else if ('comment' in part) break;
    else if (part.op === 'glob') return { error: `it uses the wildcard ${part.pattern}: ${useShell}`, needsShell: true };
    else return { error: `it uses the shell operator ${part.op}: ${useShell}, or put it in a script`, needsShell: true };
  }
  if (argv.length === 0 || !argv[0]) return { error: 'the command is empty', needsShell: false };
  return { command: { shell: false, argv } };
}

interface LineScan {
  /** The quote a POSIX shell would find still open at the end of the line, and where it opened. */
  unclosed: { quote: '"' | "'"; at: number } | null;
  trailingBackslash: boolean;
  /** The first word a shell would start with tilde expansion (an unquoted ~ first). */
  tildeWord: string | null;
}

/** The line read by a POSIX shell's quoting rules, for what shell-quote does not report. */
function scanLine(text: string): LineScan {
  let tildeWord: string | null = null;
  let wordStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (/\s/.test(c) || '|&;<>()'.includes(c)) {
      wordStart = true;
      continue;
    }
    const first = wordStart;
    wordStart = false;
    if (c === '#' && first) break;
    if (c === '~' && first && tildeWord === null) tildeWord = /^\S+/.exec(text.slice(i))![0];
    if (c === '\\') {
      if (i === text.length - 1) return { unclosed: null, trailingBackslash: true, tildeWord };
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { unclosed: { quote: "'", at: i }, trailingBackslash: false, tildeWord };
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) return { unclosed: { quote: '"', at: i }, trailingBackslash: false, tildeWord };
      i = j;
    }
  }
  return { unclosed: null, trailingBackslash: false, tildeWord };
}

/** The command as a line that can be pasted into a shell (a shell hook is its script). */
export function describeHook(command: HookCommand): string {
  return command.shell ? command.script : quote(command.argv);
}
