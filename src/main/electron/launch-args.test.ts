import { describe, expect, it } from 'vitest';
import { parseLaunchArgs } from './launch-args';

describe('parseLaunchArgs', () => {
  it('reads --data-dir and --master-key-file in both spellings', () => {
    expect(parseLaunchArgs(['.', '--data-dir', '/srv/vd', '--master-key-file=/root/vd.key'])).toEqual({ dataDir: '/srv/vd', masterKeyFile: '/root/vd.key', hidden: false });
    expect(parseLaunchArgs(['--data-dir=/a', '--master-key-file', '/b'])).toEqual({ dataDir: '/a', masterKeyFile: '/b', hidden: false });
  });

  it('reads --hidden, which a start at login passes', () => {
    expect(parseLaunchArgs(['--hidden', '--data-dir', '/srv/vd'])).toEqual({ dataDir: '/srv/vd', masterKeyFile: undefined, hidden: true });
  });

  it("ignores Chromium's switches and flags without a value", () => {
    expect(parseLaunchArgs(['--no-sandbox', '--data-dir', '--enable-logging', '--master-key-file='])).toEqual({ dataDir: undefined, masterKeyFile: undefined, hidden: false });
    expect(parseLaunchArgs([])).toEqual({ dataDir: undefined, masterKeyFile: undefined, hidden: false });
  });
});
