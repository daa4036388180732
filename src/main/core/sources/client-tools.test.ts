import { existsSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { tempDir } from '../testing/temp-dir';
import { assertClientNotOlder, expandPattern, findTool, INSTALL_DIRS, parseToolVersion, toolVersion, type ResolvedTool, type ServerVersion } from './client-tools';
import { writeScript } from './source-test-helpers';

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

function fakeTool(dir: string, name: string, version = `${name} (PostgreSQL) 16.4`): string {
  mkdirSync(dir, { recursive: true });
  return writeScript(dir, name, `echo "${version}"`);
}

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected an error');
}

describe('client tool discovery', () => {
  it('prefers the configured path, then PATH, then install dirs with the newest version first', () => {
    const root = t.dir;
    for (const v of ['9.6', '13', '16']) fakeTool(path.join(root, 'usr/lib/postgresql', v, 'bin'), 'pg_dump');
    const installDirs = [path.join(root, 'usr/lib/postgresql/*/bin')];
    expect(findTool('pg_dump', { env: { PATH: '' }, installDirs, platform: 'linux' }).path).toBe(path.join(root, 'usr/lib/postgresql/16/bin/pg_dump'));

    const onPath = fakeTool(path.join(root, 'path-bin'), 'pg_dump');
    expect(findTool('pg_dump', { env: { PATH: `/nonexistent:${path.dirname(onPath)}` }, installDirs, platform: 'linux' }).path).toBe(onPath);

    const configured = fakeTool(path.join(root, 'custom'), 'my-pg_dump');
    expect(findTool('pg_dump', { env: { PATH: path.dirname(onPath) }, toolPaths: { pg_dump: configured }, installDirs, platform: 'linux' })).toEqual({
      name: 'pg_dump',
      executable: 'my-pg_dump',
      path: configured,
    });
  });

  it("takes the binary behind Debian's pg_wrapper, newest version first, and the wrapper where it has none", () => {
    const root = path.join(t.dir, 'usr');
    const wrapper = fakeTool(path.join(root, 'share/postgresql-common'), 'pg_wrapper', 'perl');
    mkdirSync(path.join(root, 'bin'));
    for (const tool of ['pg_dump', 'pg_restore', 'psql']) symlinkSync('../share/postgresql-common/pg_wrapper', path.join(root, 'bin', tool));
    for (const v of ['13', '16']) fakeTool(path.join(root, 'lib/postgresql', v, 'bin'), 'pg_dump');
    fakeTool(path.join(root, 'lib/postgresql/13/bin'), 'pg_restore');
    const env = { PATH: path.join(root, 'bin') };
    expect(findTool('pg_dump', { env, installDirs: [], platform: 'linux' }).path).toBe(path.join(root, 'lib/postgresql/16/bin/pg_dump'));
    expect(findTool('pg_restore', { env, installDirs: [], platform: 'linux' }).path).toBe(path.join(root, 'lib/postgresql/13/bin/pg_restore'));
    // No psql binary beside it: the wrapper stays, and it still runs the tool.
    expect(findTool('psql', { env, installDirs: [], platform: 'linux' }).path).toBe(path.join(root, 'bin/psql'));
    expect(wrapper).toBe(path.join(root, 'share/postgresql-common/pg_wrapper'));
  });

  it.runIf(existsSync('/usr/share/postgresql-common/pg_wrapper'))('on this Debian machine, pg_dump is found as the binary, not as the Perl wrapper', () => {
    const found = findTool('pg_dump', { env: { PATH: process.env.PATH } });
    expect(realpathSync(found.path)).not.toMatch(/pg_wrapper$/);
    expect(found.path).toMatch(/^\/usr\/lib\/postgresql\/\d+\/bin\/pg_dump$/);
  });

  it('prefers mariadb-dump over mysqldump, and takes mysqldump where it is the only one', () => {
    const both = path.join(t.dir, 'both');
    fakeTool(both, 'mysqldump', 'x');
    fakeTool(both, 'mariadb-dump', 'x');
    expect(findTool('mysqldump', { env: { PATH: both }, installDirs: [], platform: 'linux' }).executable).toBe('mariadb-dump');
    const mysqlOnly = fakeTool(path.join(t.dir, 'mysql-only'), 'mysqldump', 'x');
    expect(findTool('mysqldump', { env: { PATH: path.dirname(mysqlOnly) }, installDirs: [], platform: 'linux' })).toMatchObject({ executable: 'mysqldump', path: mysqlOnly });
  });

  it('skips files that are not executable', () => {
    const dir = path.join(t.dir, 'noexec');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'psql'), 'not executable', { mode: 0o644 });
    expect(thrown(() => findTool('psql', { env: { PATH: dir }, installDirs: [], platform: 'linux' })).code).toBe('CLIENT_TOOL_MISSING');
  });

  it('names the tool and the package that provides it when nothing is found', () => {
    const pgError = thrown(() => findTool('pg_restore', { env: { PATH: t.dir }, installDirs: [], platform: 'linux' }));
    expect(pgError).toBeInstanceOf(AppError);
    expect(pgError.code).toBe('CLIENT_TOOL_MISSING');
    expect(pgError.message).toBe(
      'pg_restore was not found. Install the PostgreSQL client (Debian/Ubuntu: postgresql-client, Fedora/RHEL: postgresql, macOS: brew install libpq, Windows: the PostgreSQL installer from postgresql.org) or set its path in Settings.',
    );
    const myError = thrown(() => findTool('mysql', { env: {}, installDirs: [], platform: 'linux' }));
    expect(myError.message).toMatch(/^mariadb or mysql was not found\. Install the MariaDB or MySQL client \(Debian\/Ubuntu: mariadb-client.*set its path in Settings\.$/);
  });

  it('expands install patterns inside a segment (MariaDB*, pgsql-*) in version order', () => {
    for (const d of ['MariaDB 10.6', 'MariaDB 11.4', 'MariaDB 10.11', 'Other']) mkdirSync(path.join(t.dir, d, 'bin'), { recursive: true });
    expect(expandPattern(path.join(t.dir, 'MariaDB*', 'bin'))).toEqual(['MariaDB 11.4', 'MariaDB 10.11', 'MariaDB 10.6'].map((d) => path.join(t.dir, d, 'bin')));
    expect(expandPattern(path.join(t.dir, 'nothing-*', 'bin'))).toEqual([]);
    expect(expandPattern('/usr/bin')).toEqual(['/usr/bin']);
  });

  it('keeps the documented install locations as data for every platform', () => {
    expect(INSTALL_DIRS.linux.postgres[0]).toBe('/usr/lib/postgresql/*/bin');
    expect(INSTALL_DIRS.darwin.postgres).toEqual(expect.arrayContaining(['/opt/homebrew/bin', '/usr/local/bin', '/opt/homebrew/opt/libpq/bin', '/Applications/Postgres.app/Contents/Versions/*/bin']));
    expect(INSTALL_DIRS.win32.postgres).toContain('C:\\Program Files\\PostgreSQL\\*\\bin');
    expect(INSTALL_DIRS.win32.mysql).toEqual(['C:\\Program Files\\MariaDB*\\bin', 'C:\\Program Files\\MySQL\\MySQL Server*\\bin']);
  });

  it('reads the version of a real executable', async () => {
    const script = fakeTool(path.join(t.dir, 'v'), 'pg_dump', 'pg_dump (PostgreSQL) 17.2 (Debian 17.2-1)');
    const version = await toolVersion({ name: 'pg_dump', executable: 'pg_dump', path: script }, {});
    expect(version).toEqual({ text: 'pg_dump (PostgreSQL) 17.2 (Debian 17.2-1)', flavor: 'postgres', parts: [17, 2] });
    const silent = writeScript(t.dir, 'silent', 'exit 0');
    await expect(toolVersion({ name: 'pg_dump', executable: 'pg_dump', path: silent }, {})).rejects.toMatchObject({ code: 'CLIENT_TOOL_MISSING' });
  });
});

describe('client versions', () => {
  it('parses PostgreSQL, MariaDB and MySQL version lines', () => {
    expect(parseToolVersion('postgres', 'pg_dump (PostgreSQL) 9.6.24\n')?.parts).toEqual([9, 6, 24]);
    expect(parseToolVersion('postgres', 'pg_restore (PostgreSQL) 17beta1')?.parts).toEqual([17]);
    expect(parseToolVersion('mysql', 'mariadb-dump  Ver 10.19 Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)')).toMatchObject({ flavor: 'mariadb', parts: [10, 11, 6] });
    expect(parseToolVersion('mysql', 'mariadb-dump from 11.4.2-MariaDB, client 10.19 for linux-systemd (x86_64)')).toMatchObject({ flavor: 'mariadb', parts: [11, 4, 2] });
    expect(parseToolVersion('mysql', 'mysqldump  Ver 10.13 Distrib 5.7.44, for Linux (x86_64)')).toMatchObject({ flavor: 'mysql', parts: [5, 7, 44] });
    expect(parseToolVersion('mysql', 'mysqldump  Ver 8.4.3 for Linux on x86_64 (MySQL Community Server - GPL)')).toMatchObject({ flavor: 'mysql', parts: [8, 4, 3] });
    expect(parseToolVersion('postgres', 'something else')).toBeNull();
  });

  const tool: ResolvedTool = { name: 'pg_dump', executable: 'pg_dump', path: '/usr/bin/pg_dump' };
  const check = (client: string, family: 'postgres' | 'mysql', server: ServerVersion): AppError | null => {
    try {
      assertClientNotOlder(tool, parseToolVersion(family, client)!, server);
      return null;
    } catch (error) {
      return error as AppError;
    }
  };

  it('refuses a pg_dump whose major is older than the server, with both versions', () => {
    const server: ServerVersion = { flavor: 'postgres', parts: [16, 2], text: '16.2' };
    expect(check('pg_dump (PostgreSQL) 16.0', 'postgres', server)).toBeNull();
    expect(check('pg_dump (PostgreSQL) 17.1', 'postgres', server)).toBeNull();
    const error = check('pg_dump (PostgreSQL) 15.8', 'postgres', server)!;
    expect(error.code).toBe('CLIENT_TOO_OLD');
    expect(error.message).toBe('pg_dump 15.8 (/usr/bin/pg_dump) is older than the PostgreSQL 16.2 server. Install a PostgreSQL client of version 16 or newer, or set its path in Settings.');
    expect(check('pg_dump (PostgreSQL) 9.5.25', 'postgres', { flavor: 'postgres', parts: [9, 6, 24], text: '9.6.24' })?.code).toBe('CLIENT_TOO_OLD');
    expect(check('pg_dump (PostgreSQL) 9.6.1', 'postgres', { flavor: 'postgres', parts: [9, 6, 24], text: '9.6.24' })).toBeNull();
  });

  it('compares MySQL/MariaDB clients by major.minor within a flavour and not across flavours', () => {
    const mariadb: ServerVersion = { flavor: 'mariadb', parts: [10, 11, 6], text: '10.11.6-MariaDB' };
    expect(check('mariadb-dump  Ver 10.19 Distrib 10.11.2-MariaDB', 'mysql', mariadb)).toBeNull();
    expect(check('mariadb-dump  Ver 10.19 Distrib 10.6.18-MariaDB', 'mysql', mariadb)?.message).toMatch(/10\.6\.18 .*older than the MariaDB 10\.11\.6 server/);
    const mysql: ServerVersion = { flavor: 'mysql', parts: [8, 4, 0], text: '8.4.0' };
    expect(check('mysqldump  Ver 8.0.36 for Linux', 'mysql', mysql)?.code).toBe('CLIENT_TOO_OLD');
    expect(check('mysqldump  Ver 9.1.0 for Linux', 'mysql', mysql)).toBeNull();
    // MariaDB 10.x and MySQL 8.x numbers do not compare.
    expect(check('mariadb-dump  Ver 10.19 Distrib 10.11.6-MariaDB', 'mysql', mysql)).toBeNull();
  });
});
