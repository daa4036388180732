/** What the desktop app takes from its command line; secrets never come this way. */
export interface LaunchArgs {
  dataDir: string | undefined;
  masterKeyFile: string | undefined;
  /** --hidden: started at login, so it starts in the tray without a window. */
  hidden: boolean;
}

const FLAGS = { '--data-dir': 'dataDir', '--master-key-file': 'masterKeyFile' } as const satisfies Record<string, 'dataDir' | 'masterKeyFile'>;

/**
 * Reads `--flag VALUE` and `--flag=VALUE`. Chromium and Electron put their own switches in
 * argv too, so anything unknown is ignored rather than refused.
 */
export function parseLaunchArgs(argv: readonly string[]): LaunchArgs {
  const out: LaunchArgs = { dataDir: undefined, masterKeyFile: undefined, hidden: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--hidden') out.hidden = true;
    for (const [flag, key] of Object.entries(FLAGS) as [keyof typeof FLAGS, (typeof FLAGS)[keyof typeof FLAGS]][]) {
      if (arg === flag && i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) {
        out[key] = argv[++i];
      } else if (arg.startsWith(`${flag}=`) && arg.length > flag.length + 1) {
        out[key] = arg.slice(flag.length + 1);
      }
    }
  }
  return out;
}
