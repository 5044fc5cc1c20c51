// Raw HTTP for the security suite: any Host header, any client address on 127.0.0.0/8 (Linux routes
// the whole block to loopback), request targets fetch() would normalize.
import http from 'node:http';
import net from 'node:net';

export interface RawResult {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected freely
  json: any;
  text: string;
  headers: http.IncomingHttpHeaders;
}

export function raw(
  baseUrl: string,
  method: string,
  target: string,
  o: { headers?: Record<string, string>; body?: unknown; from?: string } = {},
): Promise<RawResult> {
  const u = new URL(baseUrl);
  const body = o.body === undefined ? undefined : JSON.stringify(o.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        method,
        path: target,
        localAddress: o.from,
        agent: false,
        headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...o.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, json, text, headers: res.headers });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends a request line as written (no URL parsing on our side) and returns the status code. */
export function rawRequestLine(baseUrl: string, line: string): Promise<number> {
  const u = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(u.port), u.hostname, () =>
      s.write(`${line}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`),
    );
    let got = '';
    s.on('data', (d) => {
      got += d.toString('latin1');
    });
    s.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(got)?.[1] ?? 0)));
    s.on('error', reject);
  });
}
