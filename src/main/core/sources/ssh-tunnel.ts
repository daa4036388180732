import { createServer, type Server, type Socket } from 'node:net';
import type { Client } from 'ssh2';
import type { Logger } from '../logger';

export interface SshTunnel {
  /** Always 127.0.0.1: nothing beyond this machine can use the tunnel. */
  host: string;
  port: number;
  /** Why the SSH server last refused to open a forwarded connection, cleared by reading it. */
  takeForwardError(): string | null;
  /** Why the SSH connection under the tunnel ended (its error, or that it closed); null while it is up. */
  connectionLost(): string | null;
  /** Stops listening and ends every forwarded connection. */
  close(): Promise<void>;
}

/**
 * A loopback listener whose every connection is forwarded through `client` (direct-tcpip, what
 * `ssh -L` does) to `target` as the SSH host sees it. The database drivers and tools then connect
 * to 127.0.0.1:port as if the server were local.
 */
export async function openSshTunnel(client: Client, target: { host: string; port: number }, log?: Logger): Promise<SshTunnel> {
  const sockets = new Set<Socket>();
  let forwardError: string | null = null;
  let lost: string | null = null;
  let lastError: string | null = null;
  const onError = (error: Error): void => {
    lastError = error.message;
  };
  const onClose = (): void => {
    lost = lastError ?? 'it was closed';
  };
  client.on('error', onError);
  client.once('close', onClose);

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
    // Whatever the client sends before the forwarded channel exists waits in the paused socket.
    socket.pause();
    try {
      client.forwardOut('127.0.0.1', socket.remotePort ?? 0, target.host, target.port, (error, channel) => {
        if (error) {
          forwardError = error.message;
          log?.warn('ssh tunnel could not open a forwarded connection', { target: `${target.host}:${target.port}`, error: error.message });
          socket.destroy();
          return;
        }
        if (socket.destroyed) {
          channel.close();
          return;
        }
        channel.on('error', () => socket.destroy());
        socket.once('close', () => channel.close());
        channel.once('close', () => socket.destroy());
        socket.pipe(channel);
        channel.pipe(socket);
        socket.resume();
      });
    } catch (error) {
      // ssh2 throws synchronously when the connection is already gone.
      forwardError = error instanceof Error ? error.message : String(error);
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  log?.info('ssh tunnel opened', { localPort: port, target: `${target.host}:${target.port}` });

  let closing: Promise<void> | null = null;
  return {
    host: '127.0.0.1',
    port,
    takeForwardError: () => {
      const error = forwardError;
      forwardError = null;
      return error;
    },
    connectionLost: () => lost,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        client.removeListener('error', onError);
        client.removeListener('close', onClose);
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        log?.info('ssh tunnel closed', { localPort: port });
      })),
  };
}
