import type { DestinationDto } from '../../../shared/domain/dto';
import type { Logger } from '../logger';
import type { DestinationsRepository } from '../store/destinations-repository';
import { createDestinationDriver, type DestinationDriver } from './destination';

/** What opening a driver for a destination of the store takes: its secrets, and where a host key pinned on first use is kept. */
export interface StoredDestinationDeps {
  destinations: DestinationsRepository;
  log: Logger;
}

/** A driver for a destination of the store: its secrets, an SFTP server's host key pinned on first use. */
export function storedDestinationDriver(deps: StoredDestinationDeps, destination: DestinationDto): DestinationDriver {
  return createDestinationDriver(destination, deps.destinations.secrets(destination.id), { log: deps.log, onHostKeyPinned: (fp) => deps.destinations.pinHostKey(destination.id, fp) });
}

/** `work` with such a driver, closed afterwards whatever happened. */
export async function withStoredDestinationDriver<T>(deps: StoredDestinationDeps, destination: DestinationDto, work: (driver: DestinationDriver) => Promise<T>): Promise<T> {
  const driver = storedDestinationDriver(deps, destination);
  try {
    return await work(driver);
  } finally {
    await driver.close().catch(() => undefined);
  }
}
