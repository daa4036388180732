import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../core/testing/temp-dir';

const bin = fileURLToPath(new URL('../../../bin/vaultdesk.mjs', import.meta.url));
const t = tempDir('vaultdesk-tested-cli-');
afterAll(() => t.cleanup());

function vaultdesk(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, '--data-dir', path.join(t.dir, 'data'), '--master-key-file', path.join(t.dir, 'master.key'), ...args], {
    input: '',
    env: { PATH: process.env.PATH, HOME: t.dir },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('vaultdesk CLI: identities kept, tests on save, last tests', { timeout: 180_000 }, () => {
  it('says when a new profile\'s identity is only inside Vaultdesk, and lists whether it was exported', () => {
    const created = vaultdesk(['profile', 'create', '--name', 'team']);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^age1[a-z0-9]{58}\n$/);
    expect(created.stderr).toBe(
      'note: the identity of profile "team" is not yet saved outside Vaultdesk: if this data dir or its master key is lost, its backups cannot be decrypted. Save it with: vaultdesk profile export-identity team -o FILE\n',
    );
    expect(vaultdesk(['profile', 'list']).stdout).toMatch(/\nteam +age +age1\S+ +0 +not yet saved outside Vaultdesk +-\n/);
    expect(vaultdesk(['profile', 'export-identity', 'team', '-o', path.join(t.dir, 'team.txt')]).code).toBe(0);
    expect(vaultdesk(['profile', 'show', 'team']).stdout).toMatch(/\nidentity +exported \d{4}-\d\d-\d\d \d\d:\d\d UTC\n/);
    expect(JSON.parse(vaultdesk(['profile', 'show', 'team', '--json']).stdout)).toMatchObject({ identityOnlyInVaultdesk: false, identityExportedAt: expect.any(String) });
  });

  it('add --test saves only what passes; without it the entry is listed as not tested until a test', () => {
    const refused = vaultdesk(['destination', 'add', 'local', '--name', 'procdest', '--path', '/proc/nope', '--test']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^vaultdesk: error \[TEST_FAILED\]: The destination "procdest" was not saved: its test failed\. Folder \/proc\/nope cannot be used: .*\n$/);
    expect(vaultdesk(['destination', 'list', '--json']).stdout.trim()).toBe('[]');

    const folder = path.join(t.dir, 'backups');
    const tested = vaultdesk(['destination', 'add', 'local', '--name', 'disk', '--path', folder, '--test']);
    expect(tested.stdout).toMatch(new RegExp(`^Added destination "disk" \\(${folder}\\); its test passed: Folder ${folder} is writable \\(.* free\\)\\.\\n$`));
    const untested = vaultdesk(['destination', 'add', 'local', '--name', 'spare', '--path', path.join(t.dir, 'spare')]);
    expect(untested.stdout).toBe(`Added destination "spare" (${path.join(t.dir, 'spare')}); not tested (vaultdesk destination test spare).\n`);

    const list = vaultdesk(['destination', 'list']).stdout;
    expect(list.split('\n')[0]).toMatch(/^NAME +KIND +LOCATION +FLAGS +LAST TEST +USED BY$/);
    expect(list).toMatch(/\ndisk +local +\S+ +- +passed \d{4}-\d\d-\d\d \d\d:\d\d +-\n/);
    expect(list).toMatch(/\nspare +local +\S+ +- +not tested +-\n/);
    expect(vaultdesk(['destination', 'test', 'spare']).code).toBe(0);
    expect(vaultdesk(['destination', 'list']).stdout).toMatch(/\nspare +local +\S+ +- +passed /);

    const source = vaultdesk(['source', 'add', 'sqlite', '--name', 'gone', '--path', path.join(t.dir, 'gone.db')]);
    expect(source.stdout).toContain('not tested (vaultdesk source test gone)');
    expect(vaultdesk(['source', 'test', 'gone']).code).toBe(1);
    expect(vaultdesk(['source', 'show', 'gone']).stdout).toMatch(new RegExp(`\\nlast test +FAILED \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC: The SQLite file cannot be opened: ${path.join(t.dir, 'gone.db')} does not exist\\.\\n`));
  });
});
