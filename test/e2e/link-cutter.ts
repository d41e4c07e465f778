/**
 * A loopback TCP relay between the ARI adapter and Asterisk's HTTP server, so that a test can cut
 * the ARI link mid-call without any access to the Asterisk host: `cut()` destroys every relayed
 * connection (the events WebSocket and any HTTP request) and turns new ones away, `restore()`
 * lets them through again. From the adapter's side this is a real network failure.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface LinkCutter {
  /** `http://127.0.0.1:<port>`: give this to the adapter instead of Asterisk's URL. */
  readonly url: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startLinkCutter(target: string): Promise<LinkCutter> {
  const upstream = new URL(target);
  const host = upstream.hostname === 'localhost' ? '127.0.0.1' : upstream.hostname;
  const port = Number(upstream.port || (upstream.protocol === 'https:' ? 443 : 80));
  const sockets = new Set<Socket>();
  let open = true;

  const track = (s: Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };

  const server: Server = createServer((client) => {
    track(client);
    if (!open) {
      client.destroy();
      return;
    }
    const remote = connect({ host, port });
    track(remote);
    client.pipe(remote);
    remote.pipe(client);
    client.on('close', () => remote.destroy());
    remote.on('close', () => client.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('relay has no TCP address');

  return {
    url: `${upstream.protocol}//127.0.0.1:${address.port}`,
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
    },
    restore() {
      open = true;
    },
    close() {
      open = false;
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
