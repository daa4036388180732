import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../create-core';
import { probePostgres } from '../testing/db-fixtures';
import { pgEnv, shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';

const skip = shouldSkip('PostgreSQL', await probePostgres());

describe.skipIf(skip)('configured client tool paths', () => {
  let t: ReturnType<typeof tempDir>;
  let core: Core;
  beforeEach(async () => {
    t = tempDir();
    core = await tempCore(t.dir);
  });
  afterEach(() => {
    core.close();
    t.cleanup();
  });

  it('a configured path wins over the search, and a wrong one is named in the test result', async () => {
    const src = await core.call('sources:create', { engine: 'postgres', name: 'pg', host: pgEnv.host, port: pgEnv.port, user: pgEnv.user, database: 'postgres' });
    expect(await core.call('sources:test', { id: src.id })).toMatchObject({ success: true });
    const missing = path.join(t.dir, 'no-such', 'pg_dump');
    expect(await core.call('settings:setToolPath', { tool: 'pg_dump', path: missing })).toMatchObject({ toolPaths: { pg_dump: missing } });
    const broken = await core.call('sources:test', { id: src.id });
    expect(broken.success).toBe(false);
    expect(broken.message).toContain(missing);
    // An old client put there on purpose is refused with both versions named.
    const old = path.join(t.dir, 'pg_dump');
    writeFileSync(old, '#!/bin/sh\necho "pg_dump (PostgreSQL) 9.6.24"\n');
    chmodSync(old, 0o755);
    await core.call('settings:setToolPath', { tool: 'pg_dump', path: old });
    const tooOld = await core.call('sources:test', { id: src.id });
    expect(tooOld.success).toBe(false);
    expect(tooOld.message).toMatch(/9\.6/);
    await core.call('settings:setToolPath', { tool: 'pg_dump', path: null });
    expect((await core.call('settings:get', {})).toolPaths).toEqual({});
    expect(await core.call('sources:test', { id: src.id })).toMatchObject({ success: true });
  });
});
