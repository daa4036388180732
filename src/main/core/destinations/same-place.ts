import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { DestinationDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { joinKey } from './object-key';

/**
 * Where a destination stores its objects, as a string two destinations share exactly when they
 * write the same files. A job names each object `{job}/{time}.{ext}` under every destination, so
 * two of its destinations on one place would write the same file twice in the same second, and
 * every run would fail on the second write.
 *
 * Only the same place counts, not one inside the other (/backups and /backups/nas): under each of
 * them the job's objects sit in a folder named after the job, so the two never share a file name
 * (/backups/j/T.dump and /backups/nas/j/T.dump), and a run writes both.
 */
export function placeOf(dto: DestinationDto, options: { followLinks: boolean } = { followLinks: true }): string {
  const config = dto.config;
  switch (config.kind) {
    case 'local':
      return `folder ${options.followLinks ? realFolder(config.path) : path.resolve(config.path)}`;
    case 's3': {
      // A bucket name is global on AWS, whatever the region; elsewhere the endpoint says which service.
      const service = config.endpoint === null ? (config.account === null ? 'AWS S3' : `R2 account ${config.account}`) : normalEndpoint(config.endpoint);
      const prefix = joinKey(config.prefix, '');
      return `bucket ${config.bucket}${prefix === '' ? '' : `, prefix ${prefix}`} at ${service}`;
    }
    case 'sftp': {
      const folder = path.posix.normalize(config.path).replace(/(?<=.)\/+$/, '');
      // A relative path is relative to the login's home, so the user is part of the place.
      const where = folder.startsWith('/') ? folder : `~${config.user}/${folder === '.' ? '' : folder}`;
      return `folder ${where} on ${config.host.toLowerCase()}:${config.port}`;
    }
  }
}

/**
 * Refuses a job whose destinations include two on the same place (placeOf). VALIDATION_FAILED
 * on `destinationIds`, naming both destinations and the place.
 */
export function assertDistinctPlaces(destinations: readonly DestinationDto[]): void {
  // The file system is asked (a share that hangs would hold the caller) only where it can matter:
  // two folders, which a symbolic link may make one.
  const followLinks = destinations.filter((d) => d.config.kind === 'local').length > 1;
  const seen = new Map<string, DestinationDto>();
  for (const dto of destinations) {
    const place = placeOf(dto, { followLinks });
    const other = seen.get(place);
    if (other) {
      throw new AppError(
        'VALIDATION_FAILED',
        `Destinations "${other.name}" and "${dto.name}" are the same place (${place}): a job writing to both would write each backup twice under one name, and fail. Keep one of them.`,
        { field: 'destinationIds', destinations: [other.name, dto.name], place },
      );
    }
    seen.set(place, dto);
  }
}

/** The folder with `..`, `.` and a trailing slash resolved, and its symbolic links when it exists. */
function realFolder(folder: string): string {
  const resolved = path.resolve(folder);
  try {
    return realpathSync.native(resolved);
  } catch {
    // Missing or out of reach (an unmounted share): compared as written.
    return resolved;
  }
}

function normalEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return endpoint.replace(/\/+$/, '');
  }
}
