import { describe, expect, it } from 'vitest';
import { parseLaunchArgs } from './launch-args';

describe('parseLaunchArgs', () => {
  it('reads --data-dir and --master-key-file in both spellings', () => {
    expect(parseLaunchArgs(['.', '--data-dir', '/srv/vd', '--master-key-file=/root/vd.key'])).toEqual({ dataDir: '/srv/vd', masterKeyFile: '/root/vd.key' });
    expect(parseLaunchArgs(['--data-dir=/a', '--master-key-file', '/b'])).toEqual({ dataDir: '/a', masterKeyFile: '/b' });
  });

  it("ignores Chromium's switches and flags without a value", () => {
    expect(parseLaunchArgs(['--no-sandbox', '--data-dir', '--enable-logging', '--master-key-file='])).toEqual({ dataDir: undefined, masterKeyFile: undefined });
    expect(parseLaunchArgs([])).toEqual({ dataDir: undefined, masterKeyFile: undefined });
  });
});
