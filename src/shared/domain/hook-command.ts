import { parse, quote } from 'shell-quote';
import type { HookCommand } from './dto';

/**
 * A hook as the user typed it, as a command to store. Without a shell the line is split into a
 * program and its arguments the way a POSIX shell would split it (quotes and backslashes), and
 * anything only a shell can do (pipes, `&&`, redirections, `$VAR`, globs) is refused with the
 * way out named, rather than passed to the program as literal text it would not expect.
 * Returns the command, or the reason it cannot be one; `useShell` is how this host's user asks
 * for a shell (a CLI flag, a form's switch).
 */
export function hookCommandFromLine(line: string, shell: boolean, useShell = 'add --hook-shell to run it with a shell'): { command: HookCommand } | { error: string } {
  const text = line.trim();
  if (!text) return { error: 'the command is empty' };
  if (shell) return { command: { shell: true, script: text } };
  const variables: string[] = [];
  const parts = parse(text, (name: string) => {
    variables.push(name);
    return `$${name}`;
  });
  if (variables.length > 0) return { error: `it uses the shell variable $${variables[0]}: ${useShell}, or write the value out` };
  const argv: string[] = [];
  for (const part of parts) {
    if (typeof part === 'string') argv.push(part);
    else if ('comment' in part) break;
    else if (part.op === 'glob') return { error: `it uses the wildcard ${part.pattern}: ${useShell}` };
    else return { error: `it uses the shell operator ${part.op}: ${useShell}, or put it in a script` };
  }
  if (argv.length === 0 || !argv[0]) return { error: 'the command is empty' };
  return { command: { shell: false, argv } };
}

/** The command as a line that can be pasted into a shell (a shell hook is its script). */
export function describeHook(command: HookCommand): string {
  return command.shell ? command.script : quote(command.argv);
}
