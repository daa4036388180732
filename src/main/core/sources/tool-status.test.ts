import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeCommand, shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';

const skip = shouldSkip('pg_dump and 7-Zip (7zz)', probeCommand('pg_dump') ?? probeCommand('7zz', ['i']));

describe.skipIf(skip)('settings:tools, where each tool is and its version', () => {
  const t = tempDir('vaultdesk-tool-status-');
  afterAll(() => t.cleanup());

  it('names the binary the search finds with its version, the one set in Settings instead, and why one cannot be used', async () => {
    const core = await tempCore(t.dir);
    try {
      const found = await core.call('settings:tools', {});
      expect(found.map((s) => s.tool)).toEqual(['pg_dump', 'pg_dumpall', 'pg_restore', 'psql', 'mysqldump', 'mysql', '7z']);
      expect(found.find((s) => s.tool === 'pg_dump')).toMatchObject({ configured: null, path: expect.stringMatching(/\/pg_dump$/), version: expect.stringMatching(/^pg_dump \(PostgreSQL\) \d+/), error: null });
      expect(found.find((s) => s.tool === '7z')).toMatchObject({ configured: null, path: expect.stringMatching(/\/7zz?$/), version: expect.stringMatching(/^7-Zip \d+\.\d+$/), error: null });

      const missing = path.join(t.dir, 'no-such', 'pg_dump');
      const old = path.join(t.dir, '7z-old');
      writeFileSync(old, '#!/bin/sh\necho "7-Zip (a) [64] 16.02 : Copyright (c) 1999-2016 Igor Pavlov"\n');
      chmodSync(old, 0o755);
      const broken = path.join(t.dir, 'psql');
      writeFileSync(broken, '#!/bin/sh\necho "not a psql"\n');
      chmodSync(broken, 0o755);
      await core.call('settings:setToolPath', { tool: 'pg_dump', path: missing });
      await core.call('settings:setToolPath', { tool: '7z', path: old });
      await core.call('settings:setToolPath', { tool: 'psql', path: broken });
      const set = await core.call('settings:tools', {});
      expect(set.find((s) => s.tool === 'pg_dump')).toEqual({ tool: 'pg_dump', configured: missing, path: null, version: null, error: `pg_dump was not found at ${missing} (the path set in Settings). Correct the path or clear it to search the PATH.` });
      expect(set.find((s) => s.tool === '7z')).toMatchObject({ configured: old, path: null, version: null, error: expect.stringContaining('16.02') });
      expect(set.find((s) => s.tool === 'psql')).toMatchObject({ configured: broken, path: broken, version: null, error: `${broken} --version did not report a version. Check that it is a working psql binary.` });
      // The others are still searched for.
      expect(set.find((s) => s.tool === 'pg_restore')).toMatchObject({ configured: null, error: null });
    } finally {
      core.close();
    }
  });
});
