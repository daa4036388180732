import { createServer, type Socket } from 'node:net';

export interface SilentServer {
  host: string;
  port: number;
  /** Connections accepted so far: proof the client got through to a server that then said nothing. */
  accepted(): number;
  stop(): Promise<void>;
}

/**
 * A TCP server on 127.0.0.1 that accepts every connection and never sends a byte: what a
 * server stuck after accept(), or a proxy that lost its upstream, looks like to a client.
 */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    // Read and drop what the client sends, so it is never held up by a full buffer.
    socket.resume();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the silent server has no port');
  return {
    host: '127.0.0.1',
    port: address.port,
    accepted: () => accepted,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
