import type { SystemExportDto, SystemImportDto } from '../../../shared/domain/system';
import type { MasterKey } from '../keys/master-key';
import type { Db } from '../store/db';
import type { DestinationsRepository } from '../store/destinations-repository';
import type { JobsRepository } from '../store/jobs-repository';
import type { ProfilesRepository } from '../store/profiles-repository';
import type { SettingsRepository } from '../store/settings-repository';
import type { SourcesRepository } from '../store/sources-repository';

export interface SystemBackupDeps {
  db: Db;
  keys: MasterKey;
  sources: SourcesRepository;
  destinations: DestinationsRepository;
  profiles: ProfilesRepository;
  jobs: JobsRepository;
  settings: SettingsRepository;
  now: () => Date;
  version: string;
  /** age's scrypt work factor for the files written; age's default unless a test lowers it. */
  scryptWorkFactor?: number;
}

export interface SystemExportRequest {
  path: string;
  passphrase: string;
}

export interface SystemImportRequest {
  path: string;
  passphrase: string;
  merge: boolean;
}

/**
 * The whole configuration to one age file encrypted to a passphrase, and back into another data
 * dir under its own master key (`system-export.ts`, `system-import.ts`). Loaded on first use:
 * age and the document schema are not for every command that opens the core.
 */
export class SystemBackup {
  constructor(private readonly deps: SystemBackupDeps) {}

  async export(request: SystemExportRequest): Promise<SystemExportDto> {
    const { exportSystem } = await import('./system-export');
    return exportSystem(this.deps, request);
  }

  async import(request: SystemImportRequest): Promise<SystemImportDto> {
    const { importSystem } = await import('./system-import');
    return importSystem(this.deps, request);
  }
}
