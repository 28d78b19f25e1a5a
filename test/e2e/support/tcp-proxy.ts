// A TCP proxy between a server under test and its database, so a test can do to the link what a
// network does: reset every connection at once (a failover, a restarted NAT) or stop carrying bytes
// without closing anything (a partition), and then mend it.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** The port clients connect to, on 127.0.0.1. */
  port: number;
  /** Destroys every connection through the proxy, both ends (each peer sees a reset). */
  reset(): void;
  /** From now on nothing is carried, and new connections are held open unanswered. */
  partition(): void;
  /** Carries bytes again; connections held during the partition stay dead (as their peers time out). */
  mend(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket | undefined]>();
  /** Connections a partition cut: they carry nothing again, as their peers have given up on them. */
  const cut = new WeakSet<Socket>();
  let partitioned = false;
  const server: Server = createServer((client) => {
    const pair: [Socket, Socket | undefined] = [client, undefined];
    pairs.add(pair);
    client.on('error', () => {});
    client.on('close', () => pairs.delete(pair));
    if (partitioned) return; // held: neither answered nor closed
    const upstream = connect(target.port, target.host);
    pair[1] = upstream;
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    const carry = (from: Socket, to: Socket) => from.on('data', (chunk) => (partitioned || cut.has(from) ? undefined : to.write(chunk)));
    carry(client, upstream);
    carry(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the proxy has no port');
  return {
    port: address.port,
    reset() {
      for (const [client, upstream] of pairs) {
        client.resetAndDestroy();
        upstream?.resetAndDestroy();
      }
    },
    partition() {
      partitioned = true;
      for (const [client, upstream] of pairs) {
        cut.add(client);
        if (upstream) cut.add(upstream);
      }
    },
    mend() {
      partitioned = false;
    },
    async close() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
