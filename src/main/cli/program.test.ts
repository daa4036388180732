import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from './program';

/** Every command under `command`, as its path from the top ("backup pin"). */
function commandsUnder(command: Command, prefix: string[] = []): { path: string; command: Command }[] {
  return command.commands.flatMap((c) => {
    const path = [...prefix, c.name()];
    return [{ path: path.join(' '), command: c }, ...commandsUnder(c, path)];
  });
}

describe('vaultdesk --help', () => {
  it('says what every command does', () => {
    const all = commandsUnder(buildProgram());
    expect(all.length).toBeGreaterThan(60);
    // A line of `--help` that names a command without saying what it does leaves the reader to guess.
    expect(all.filter((c) => c.command.description().trim() === '').map((c) => c.path)).toEqual([]);
  });

  it('adds with `add` in every group that makes things, profiles too', () => {
    const program = buildProgram();
    const groups = ['env', 'source', 'destination', 'profile', 'job'];
    for (const name of groups) {
      const group = program.commands.find((c) => c.name() === name)!;
      expect(
        group.commands.some((c) => c.name() === 'add' || c.aliases().includes('add')),
        name,
      ).toBe(true);
    }
  });
});
