// Live SOLVEREIGN's captured answers (test/unit/api/fixtures/live-responses.json) served on
// 127.0.0.1 as live serves them: no auth on the cockpit, no offset and a page-size `total`,
// `X-API-Key` refused, every [ops] endpoint a bare 404. Only the captured shapes, replayed; the
// sandbox's `--profile live` is the full stand-in.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import live from '../unit/api/fixtures/live-responses.json';

type Capture = { status: number; body: unknown };
const captures = live as unknown as Record<string, Capture>;
const P = '/api/v1/platform/dispatcher';

export interface LiveReplay {
  url: string;
  /** Requests seen, as `METHOD /path?query`. */
  requests: string[];
  close(): Promise<void>;
}

export interface LiveReplayOptions {
  /** Serve only the PASS runs (a healthy week). */
  passOnly?: boolean;
}

function answer(req: http.IncomingMessage, url: URL, o: LiveReplayOptions): Capture {
  const p = url.pathname;
  const get = req.method === 'GET';
  if (get && p === '/health') return captures.health!;
  if (get && p === '/health/ready') return captures['health-ready']!;
  if (get && p === '/health/live') return captures['health-live']!;
  if (p.startsWith(`${P}/`)) {
    if (req.headers['x-api-key']) return captures['status-x-api-key']!;
    if (!req.headers['x-tenant-code'] || !req.headers['x-site-code']) return captures['status-no-scope']!;
  }
  if (get && p === `${P}/status`) return captures['status-with-unknown-drift-run']!;
  if (get && p === `${P}/runs`) {
    const all = (captures['runs-with-unknown-drift-run']!.body as { runs: { status: string }[] }).runs.filter(
      (r) => !o.passOnly || r.status === 'PASS',
    );
    const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 20));
    const runs = all.slice(0, limit); // offset ignored; total = the page's size
    return { status: 200, body: { runs, total: runs.length } };
  }
  const run = new RegExp(`^${P}/runs/([^/]+)$`).exec(p);
  if (get && run) {
    for (const name of ['run-detail-fail', 'run-detail-unknown-drift']) {
      const c = captures[name]!;
      if ((c.body as { run_id: string }).run_id === decodeURIComponent(run[1]!)) return c;
    }
    return { status: 404, body: { detail: `Run '${decodeURIComponent(run[1]!)}' not found for site wien` } };
  }
  return { status: 404, body: { detail: 'Not Found' } };
}

export async function startLiveReplay(o: LiveReplayOptions = {}): Promise<LiveReplay> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    req.resume();
    req.on('end', () => {
      const a = answer(req, url, o);
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
