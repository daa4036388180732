import path from 'node:path';
import { AppError } from '../../../shared/ipc/result';
import type { Logger } from '../logger';
import { parseToolVersion, TOOL_SPECS, type ResolvedTool, type ToolFamily, type ClientToolName, type ToolVersion } from './client-tools';
import type { SshLink } from './ssh-link';
import { lostConnection, remoteToolMissing } from './ssh-remote-errors';
import { remoteCapture } from './ssh-remote-process';
import { probeToolsCommand } from './ssh-remote-script';

/** A client tool on the SSH host: `path` is its path there. */
export type RemoteTool = ResolvedTool & { version: ToolVersion };

/** Every tool a driver of the family may need: looked up together, since each SSH command costs a round trip and a login shell's start. */
const FAMILY_TOOLS: Record<ToolFamily, ClientToolName[]> = {
  postgres: ['pg_dump', 'pg_dumpall', 'pg_restore', 'psql'],
  mysql: ['mysqldump', 'mysql'],
};

/**
 * The client tools of the SSH host, looked up on its PATH in one round trip on first use and
 * remembered for the life of the driver (null: not there).
 */
export class RemoteTools {
  #found: Promise<Map<ClientToolName, RemoteTool | string | null>> | null = null;

  constructor(
    private readonly link: SshLink,
    private readonly family: ToolFamily,
    private readonly log?: Logger,
  ) {}

  /** The tools in the order asked, or CLIENT_TOOL_MISSING naming the first one the host lacks. */
  async get(names: ClientToolName[], signal?: AbortSignal): Promise<RemoteTool[]> {
    this.#found ??= this.#probe(signal).catch((error: unknown) => {
      this.#found = null;
      throw error;
    });
    const found = await this.#found;
    return names.map((name) => {
      const tool = found.get(name);
      if (!tool) throw remoteToolMissing(this.family, TOOL_SPECS[name].executables, this.link.label);
      if (typeof tool === 'string') throw new AppError('CLIENT_TOOL_MISSING', tool, { tool: name });
      return tool;
    });
  }

  /** name -> the tool, null when missing, or why it is unusable. */
  async #probe(signal?: AbortSignal): Promise<Map<ClientToolName, RemoteTool | string | null>> {
    const names = FAMILY_TOOLS[this.family];
    const client = await this.link.connect(signal);
    const result = await remoteCapture({ client, command: probeToolsCommand(names), secretLine: null, what: `the client tool lookup on ${this.link.label}` });
    if (result.code === null && !result.signal) throw lostConnection(this.link.label, 'SOURCE_UNREACHABLE');
    const lines = new Map<string, string[]>();
    for (const line of result.stdout.toString('utf8').split('\n')) {
      const [name, ...rest] = line.split('\t');
      if (name) lines.set(name, rest);
    }
    const found = new Map<ClientToolName, RemoteTool | string | null>();
    for (const name of names) {
      const [toolPath = '', versionLine = ''] = lines.get(name) ?? [];
      const version = toolPath ? parseToolVersion(this.family, versionLine) : null;
      if (!toolPath) found.set(name, null);
      else if (!version) {
        found.set(
          name,
          `${toolPath} on the SSH host ${this.link.label} did not report a version (${versionLine || 'no output'}). Check that it is a working ${path.posix.basename(toolPath)} binary.`,
        );
      } else {
        this.log?.debug('remote client tool found', { ssh: this.link.label, tool: name, path: toolPath, version: version.text });
        found.set(name, { name, executable: path.posix.basename(toolPath), path: toolPath, version });
      }
    }
    return found;
  }
}
