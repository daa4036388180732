import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../core/testing/cli-runner';
import { tempDir } from '../core/testing/temp-dir';

const t = tempDir('vaultdesk-usage-');
afterAll(() => t.cleanup());
const dataDir = path.join(t.dir, 'data');
const vaultdesk = cliRunner(t.dir, { dataDir });

describe('a command line the CLI cannot parse', { timeout: 120_000 }, () => {
  it('is said in the house form, VALIDATION_FAILED with exit code 2, naming the --help to read', () => {
    const cases: [string[], string][] = [
      [['source', 'add', 'postgres'], "required option '--name <name>' not specified. See vaultdesk source add --help."],
      [['source', 'list', '--bogus'], "unknown option '--bogus'. See vaultdesk source list --help."],
      [['source', 'show'], "missing required argument 'source'. See vaultdesk source show --help."],
      [['source', 'add', 'postgres', '--name', 'x', '--tls'], "option '--tls <mode>' argument missing. See vaultdesk source add --help."],
      [['--log-format', 'yaml', 'job', 'list'], "option '--log-format <format>' argument 'yaml' is invalid. Allowed choices are text, json. See vaultdesk --help."],
      [['source', 'frobnicate'], "unknown command 'frobnicate'. See vaultdesk source --help."],
      [['frob'], "unknown command 'frob' (Did you mean job?). See vaultdesk --help."],
    ];
    for (const [args, message] of cases) {
      const r = vaultdesk(args);
      expect([r.code, r.stdout, r.stderr], args.join(' ')).toEqual([2, '', `vaultdesk: error [VALIDATION_FAILED]: ${message}\n`]);
    }
    // Nothing ran: no data dir was made for a line that was refused.
    expect(existsSync(dataDir)).toBe(false);
  });

  it('is the same JSON error as any other with --json', () => {
    const r = vaultdesk(['backup', 'list', '--json', '--nope']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr)).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: "unknown option '--nope'. See vaultdesk backup list --help.",
        details: { reason: 'usage', usage: 'unknownOption', help: 'vaultdesk backup list --help' },
      },
    });
  });

  it('leaves --help and --version as they were: their text on stdout, exit code 0', () => {
    const help = vaultdesk(['source', 'add', '--help']);
    expect([help.code, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toContain('Usage: vaultdesk source add [options] <engine>');
    const version = vaultdesk(['--version']);
    expect([version.code, version.stderr]).toEqual([0, '']);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
    const helpCommand = vaultdesk(['help', 'backup']);
    expect([helpCommand.code, helpCommand.stderr]).toEqual([0, '']);
    expect(helpCommand.stdout).toContain('Usage: vaultdesk backup');
  });
});
