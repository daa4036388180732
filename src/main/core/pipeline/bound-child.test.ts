import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processExists } from '../testing/child-processes';
import { spawnBound } from './bound-child';
import { createPgDatabase, dropPgDatabase, probePostgres, scratchName, withPg } from '../testing/db-fixtures';
import { shouldSkip } from '../testing/services';
import { tempDir } from '../testing/temp-dir';
import { processesWith, waitFor } from '../sources/source-test-helpers';

const here = path.dirname(new URL(import.meta.url).pathname);
const reason = await probePostgres();

/** A host process (node with tsx) running `body`; whatever it prints on stdout is kept. */
/** Hosts still running: a test that fails before it kills its host must not leave it (and this file's worker) running. */
const hosts = new Set<ChildProcess>();
afterAll(() => {
  for (const host of hosts) host.kill('SIGKILL');
});

function startHost(dir: string, name: string, body: string): { child: ChildProcess; said: () => string } {
  const script = path.join(dir, `${name}.mts`);
  writeFileSync(script, body);
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: path.resolve(here, '../../../..'), stdio: ['ignore', 'pipe', 'inherit'] });
  hosts.add(child);
  child.once('exit', () => hosts.delete(child));
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return { child, said: () => out };
}

const killedOutright = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describe.skipIf(process.platform !== 'linux')('a tool started by a host that is killed outright', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it('ends with the host: a tool that reads nothing from it is not left running', async () => {
    const host = startHost(
      t.dir,
      'sleeper',
      `import { spawnBound } from ${JSON.stringify(path.join(here, 'bound-child.ts'))};
       const child = spawnBound('/bin/sleep', ['300'], { stdio: 'ignore' });
       console.log(child.pid);
       setInterval(() => {}, 1000);`,
    );
    const pid = Number(await waitFor(() => host.said().trim()));
    expect(processExists(pid)).toBe(true);
    // The pid is said as soon as it exists; its wrappers (setpriv, chrt) then exec the tool under that pid.
    expect(await waitFor(() => processesWith('300').some((p) => p.pid === pid && p.argv[0] === '/bin/sleep'))).toBe(true);
    await killedOutright(host.child);
    await waitFor(() => !processExists(pid), 5_000);
  });
});

describe.skipIf(process.platform !== 'linux' || shouldSkip('PostgreSQL', reason))('a PostgreSQL restore whose host is killed outright', () => {
  const source = scratchName('pgbound');
  const target = scratchName('pgboundto');
  const t = tempDir();

  beforeAll(async () => {
    await createPgDatabase(source);
    // Each index entry takes 50 ms to compute, unless the session says otherwise: built at once
    // here, the restore's build of it lasts minutes.
    await withPg(source, (c) =>
      c.query(`CREATE FUNCTION public.slow(n int) RETURNS int IMMUTABLE LANGUAGE sql
                 AS $$SELECT pg_catalog.pg_sleep(CASE WHEN pg_catalog.current_setting('vaultdesk_test.fast', true) = 'on' THEN 0 ELSE 0.05 END); SELECT n$$;
               CREATE TABLE public.items (id int PRIMARY KEY);
               INSERT INTO public.items SELECT generate_series(1, 5000);
               SET vaultdesk_test.fast = 'on';
               CREATE INDEX items_slow ON public.items (public.slow(id));`),
    );
  });

  afterAll(async () => {
    await dropPgDatabase(source);
    await dropPgDatabase(target);
    t.cleanup();
  });

  it("stops building indexes in the server: no pg_restore left, no statement running in the target", async () => {
    const fixtures = path.join(here, '../testing/db-fixtures.ts');
    const host = startHost(
      t.dir,
      'restorer',
      `import { createSourceDriver } from ${JSON.stringify(path.join(here, '../sources/source-driver.ts'))};
       import { testSourceDto } from ${JSON.stringify(fixtures)};
       const context = { tempDir: ${JSON.stringify(t.dir)}, env: { ...process.env } };
       const driver = createSourceDriver(testSourceDto('postgres', { database: ${JSON.stringify(source)} }), {}, context);
       const dump = await driver.dump(${JSON.stringify(source)}, { format: 'custom' });
       const done = driver.restore(dump.stream, { database: ${JSON.stringify(target)}, format: 'custom', createDatabase: true, loaders: 2 });
       console.log('started');
       await done;`,
    );
    await waitFor(() => host.said().includes('started'), 30_000);
    const building = async (): Promise<number> =>
      (await withPg('postgres', (c) => c.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'CREATE INDEX items_slow%' AND state = 'active'`, [target]))).rowCount ?? 0;
    const until = Date.now() + 60_000;
    while ((await building()) === 0) {
      if (Date.now() > until) throw new Error('the restore never reached its index build');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(processesWith(target).filter((p) => p.argv.some((a) => a.includes('pg_restore'))).length).toBeGreaterThan(0);
    await killedOutright(host.child);
    await waitFor(() => processesWith(target).length === 0, 10_000);
    const sessions = async (): Promise<number> =>
      (await withPg('postgres', (c) => c.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1`, [target]))).rowCount ?? 0;
    const gone = Date.now() + 10_000;
    while ((await sessions()) > 0) {
      if (Date.now() > gone) throw new Error(`sessions still open in ${target}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 120_000);
});

describe.skipIf(process.platform !== 'linux')('a dump tool started with its stdout buffered', () => {
  const output = (child: ChildProcess): Promise<{ out: string; code: number | null }> =>
    new Promise((resolve) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.once('close', (code) => resolve({ out, code }));
    });

  it('writes through C stdio in 64 KiB pieces (coreutils stdbuf), every byte intact', async () => {
    const said = await output(spawnBound('/bin/sh', ['-c', 'printf "%s %s\\n" "$_STDBUF_O" "${LD_PRELOAD##*/}"; seq 1 200000'], { stdio: ['ignore', 'pipe', 'inherit'] }, { bufferStdout: true }));
    expect(said.code).toBe(0);
    const [first, ...rest] = said.out.trimEnd().split('\n');
    expect(first).toBe('65536 libstdbuf.so');
    expect(rest).toHaveLength(200000);
    expect(rest.at(-1)).toBe('200000');
  });

  it('a tool that is not there fails to start (ENOENT from the spawn), as without the buffering', async () => {
    const child = spawnBound('/nonexistent/pg_dump', ['--version'], { stdio: 'ignore' }, { bufferStdout: true });
    const [error] = (await once(child, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ENOENT');
  });
});
