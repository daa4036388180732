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

  it('says which commands a bare command group takes, with the --help to run, instead of printing its help as an error', () => {
    const r = vaultdesk(['backup']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(
      "vaultdesk: error [VALIDATION_FAILED]: vaultdesk backup needs a command: run, list, show, verify, download, url, pin, unpin, delete\nrun 'vaultdesk backup --help' for details\n",
    );
    // Every group, the program itself too, names its own commands as its help lists them.
    for (const group of [[], ['source'], ['destination'], ['job'], ['kit'], ['key'], ['system'], ['schedule'], ['settings']]) {
      const bare = vaultdesk(group);
      const listed = /^Commands:\n([\s\S]*)$/m.exec(vaultdesk([...group, '--help']).stdout)![1]!.match(/^ {2}[a-z-]+/gm)!.map((c) => c.trim()).filter((c) => c !== 'help');
      const name = ['vaultdesk', ...group].join(' ');
      expect([bare.code, bare.stdout, bare.stderr], name).toEqual([2, '', `vaultdesk: error [VALIDATION_FAILED]: ${name} needs a command: ${listed.join(', ')}\nrun '${name} --help' for details\n`]);
    }
    const json = vaultdesk(['job', '--json']);
    expect([json.code, json.stdout]).toEqual([2, '']);
    expect(JSON.parse(json.stderr)).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'vaultdesk job needs a command: add, update, list, show, next, remove',
        details: { reason: 'usage', usage: 'missingCommand', help: 'vaultdesk job --help', commands: ['add', 'update', 'list', 'show', 'next', 'remove'], hint: "run 'vaultdesk job --help' for details" },
      },
    });
    expect(existsSync(dataDir)).toBe(false);
  });

  it("refuses help for a command that does not exist as the command itself is refused, with commander's suggestion", () => {
    const cases: [string[], string][] = [
      [['help', 'frob'], "unknown command 'frob' (Did you mean job?). See vaultdesk --help."],
      [['help', 'bakup'], "unknown command 'bakup' (Did you mean backup?). See vaultdesk --help."],
      [['help', 'zzzzzz'], "unknown command 'zzzzzz'. See vaultdesk --help."],
      [['backup', 'help', 'lst'], "unknown command 'lst' (Did you mean list?). See vaultdesk backup --help."],
    ];
    for (const [args, message] of cases) {
      const r = vaultdesk(args);
      expect([r.code, r.stdout, r.stderr], args.join(' ')).toEqual([2, '', `vaultdesk: error [VALIDATION_FAILED]: ${message}\n`]);
    }
    const json = vaultdesk(['help', 'frob', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stderr)).toEqual({
      error: { code: 'VALIDATION_FAILED', message: "unknown command 'frob' (Did you mean job?). See vaultdesk --help.", details: { reason: 'usage', usage: 'unknownCommand', help: 'vaultdesk --help' } },
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
    const groupHelp = vaultdesk(['backup', '--help']);
    expect([groupHelp.code, groupHelp.stderr]).toEqual([0, '']);
    expect(groupHelp.stdout).toContain('Usage: vaultdesk backup');
    const subHelp = vaultdesk(['backup', 'help', 'list']);
    expect([subHelp.code, subHelp.stderr]).toEqual([0, '']);
    expect(subHelp.stdout).toContain('Usage: vaultdesk backup list');
  });
});
