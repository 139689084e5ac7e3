import { createServer, type Server } from 'node:http';

export interface StaticPageServer {
  /** The page's origin, e.g. http://127.0.0.1:41234. */
  readonly origin: string;
  close(): Promise<void>;
}

/** Serves one HTML page at / on 127.0.0.1, so a browser has a page of another origin than the gateway's. */
export function servePage(html: string): Promise<StaticPageServer> {
  const server: Server = createServer((req, res) => {
    if (req.url !== '/') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({
        origin: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
