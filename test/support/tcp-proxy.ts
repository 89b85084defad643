import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy between Base and PostgreSQL that a test can freeze (a network split: bytes are held,
 * nothing is refused), thaw, kill (every connection dropped, new ones refused) and revive.
 */
export class TcpProxy {
  private frozen = false;
  private readonly sockets = new Set<net.Socket>();
  private readonly held: (() => void)[] = [];
  private server: net.Server;
  port = 0;

  private constructor(private readonly target: { host: string; port: number }) {
    this.server = this.makeServer();
  }

  static async start(targetUrl: string): Promise<TcpProxy> {
    const url = new URL(targetUrl);
    const proxy = new TcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    await proxy.listen(0);
    return proxy;
  }

  /** The target URL with the proxy's address instead. */
  urlFor(targetUrl: string): string {
    const url = new URL(targetUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  freeze(): void {
    this.frozen = true;
  }

  thaw(): void {
    this.frozen = false;
    for (const release of this.held.splice(0)) release();
  }

  /** Drop every connection and stop listening (a stopped server). */
  async kill(): Promise<void> {
    this.held.length = 0;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Listen again on the same port (the server is back). */
  async revive(): Promise<void> {
    this.frozen = false;
    this.server = this.makeServer();
    await this.listen(this.port);
  }

  close(): Promise<void> {
    return this.kill();
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private makeServer(): net.Server {
    return net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => {});
        s.on('close', () => {
          this.sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      const forward = (from: net.Socket, to: net.Socket) =>
        from.on('data', (chunk) => {
          if (this.frozen) this.held.push(() => to.write(chunk));
          else to.write(chunk);
        });
      forward(client, upstream);
      forward(upstream, client);
    });
  }
}
