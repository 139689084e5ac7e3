import { createServer } from 'node:http';
import { listenOnLoopback, type Listening } from './loopback.mts';

/** Serves one HTML page at / on 127.0.0.1, so a browser has a page of another origin than the gateway's. */
export function servePage(html: string): Promise<Listening> {
  return listenOnLoopback(
    createServer((req, res) => {
      if (req.url === '/') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
      else res.writeHead(404).end();
    }),
  );
}
