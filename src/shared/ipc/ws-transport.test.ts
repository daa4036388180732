import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { ClientMessage, ServerMessage } from './ws-protocol';
import { createWsTransport } from './ws-transport';

const servers: WebSocketServer[] = [];

/** A bridge stand-in on a loopback port; `onInvoke` decides what it does with each call. */
async function bridge(onInvoke: (message: ClientMessage, reply: (m: ServerMessage) => void, drop: () => void) => void): Promise<string> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as ClientMessage;
      onInvoke(
        message,
        (m) => socket.send(JSON.stringify(m)),
        () => socket.terminate(),
      );
    });
  });
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api/ws`;
}

/** Stops the stand-ins as serve stops: every open socket dropped, then the port closed. */
async function stopBridges(): Promise<void> {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          for (const client of s.clients) client.terminate();
          s.close(() => resolve());
        }),
    ),
  );
}

afterEach(stopBridges);

describe('createWsTransport', () => {
  it('carries a call and its answer', async () => {
    const url = await bridge((m, reply) => reply({ type: 'result', id: m.id, result: { ok: true, data: { channel: m.channel } } }));
    const transport = createWsTransport(url);
    expect(await transport.invoke('jobs:list', {})).toEqual({ ok: true, data: { channel: 'jobs:list' } });
  });

  it('says in words, with CONNECTION_LOST, that the bridge closed the connection before answering a call', async () => {
    const url = await bridge((_m, _reply, drop) => drop());
    const transport = createWsTransport(url);
    const result = await transport.invoke('destinations:delete', { id: 'x' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('CONNECTION_LOST');
    const port = new URL(url).port;
    expect(result.error.message).toBe(
      `The connection to vaultdesk serve at 127.0.0.1:${port} closed before it answered, so whether this last action was carried out is not known. Check that it is still running, reload the page and look again before repeating it.`,
    );
  });

  it('says in words, with CONNECTION_LOST, that the bridge cannot be reached once it has stopped', async () => {
    const url = await bridge((m, reply) => reply({ type: 'result', id: m.id, result: { ok: true, data: null } }));
    const transport = createWsTransport(url);
    expect((await transport.invoke('jobs:list', {})).ok).toBe(true);
    // serve stops: its socket closes, and the next call must open a new one, which nothing answers.
    await stopBridges();
    const unreachable = {
      code: 'CONNECTION_LOST',
      message: `This page cannot reach vaultdesk serve at 127.0.0.1:${new URL(url).port}: it has stopped, or was restarted with a new address. Start it again if it is not running, then open the address it prints.`,
    };
    // A call made before the page has seen its socket close is told the connection closed; the
    // ones after, that nothing answers. Every one fails with CONNECTION_LOST.
    let last = await transport.invoke('jobs:list', {});
    for (let i = 0; i < 10 && !(!last.ok && last.error.message === unreachable.message); i++) {
      expect(last).toMatchObject({ ok: false, error: { code: 'CONNECTION_LOST' } });
      last = await transport.invoke('jobs:list', {});
    }
    expect(last).toEqual({ ok: false, error: unreachable });
  });
});
