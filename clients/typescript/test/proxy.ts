// A TCP proxy in front of the server that, once armed, lets the next request through and resets the client's
// connection as the answer starts: the server did the work, the client never hears of it.
import { createServer, connect, type Server, type Socket } from "node:net";

export class KillingProxy {
  private armed = false;
  kills = 0;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  private constructor(target: number) {
    this.server = createServer((client) => {
      const upstream = connect(target, "127.0.0.1");
      this.sockets.add(client).add(upstream);
      client.on("data", (d) => upstream.write(d));
      upstream.on("data", (d) => {
        if (this.armed) {
          this.armed = false;
          this.kills++;
          client.resetAndDestroy();
          upstream.destroy();
          return;
        }
        client.write(d);
      });
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on("close", close).on("error", close);
      upstream.on("close", close).on("error", close);
    });
  }

  static async start(target: number): Promise<KillingProxy> {
    const proxy = new KillingProxy(target);
    await new Promise<void>((ok) => proxy.server.listen(0, "127.0.0.1", ok));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  arm(): void {
    this.armed = true;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }
}
