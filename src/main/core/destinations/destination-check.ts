import type { DestinationDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { formatDuration, withDeadline } from '../deadline';
import { createDestinationDriver, type ConnectionTestResult, type DriverContext } from './destination';
import { endpointLabel } from './s3-client';

/** How long `destinations:test` may take before it answers "did not answer" (30 s: longer than every driver's own connect timeout). */
export const CONNECTION_TEST_MS = 30_000;

/**
 * A destination's connection test that always ends within `deadlineMs`: a folder on a share
 * that stopped answering, or a server that accepts the connection and then says nothing, is
 * reported as such rather than leaving the caller (a form, `vaultdesk destination test`)
 * waiting for good.
 */
export async function testDestination(dto: DestinationDto, secrets: Record<string, string>, ctx: DriverContext = {}, deadlineMs = CONNECTION_TEST_MS): Promise<ConnectionTestResult> {
  const driver = createDestinationDriver(dto, secrets, ctx);
  let late = false;
  try {
    return await withDeadline(driver.test(), deadlineMs, () => {
      late = true;
      return new AppError('TIMEOUT', `The test of destination "${dto.name}" did not finish within ${formatDuration(deadlineMs)}: ${silentParty(dto)}`);
    });
  } catch (error) {
    if (late) return { success: false, message: (error as Error).message };
    throw error;
  } finally {
    // After a deadline, close() only releases what it can; waiting for it could take as long again.
    const closing = driver.close().catch(() => undefined);
    if (!late) await closing;
  }
}

function silentParty(dto: DestinationDto): string {
  const config = dto.config;
  switch (config.kind) {
    case 'local':
      return `folder ${config.path} did not answer (a network share or disk that stopped responding?). Check that it is mounted and reachable.`;
    case 's3':
      return `the S3 endpoint ${endpointLabel(config)} did not answer. Check the endpoint URL, the network, the proxy and the firewall.`;
    case 'sftp':
      return `the SFTP server ${config.user}@${config.host}:${config.port} did not answer. Check the host and port, the firewall, and that the server and its SFTP subsystem are running.`;
  }
}
