// Status cost independent of history: GET dispatcher status on an empty sandbox and on one with
// 10,000 runs and 1,000 incidents per site. Prints sequential p50/p99 and the throughput of 16
// concurrent clients. Target: p99 <= 10 ms and >= 3,000 req/s loaded.
import { printTable, startSandbox, stats } from './support.mjs';

const P = '/api/v1/platform/dispatcher';
const RATE = ['--rate-limit', '100000000', '--seed-engine', 'synthetic'];

async function measure(sb) {
  const headers = {
    Authorization: `Bearer ${sb.credentials.keys.dispatcher}`,
    'X-Tenant-Code': 'lts',
    'X-Site-Code': 'wien',
  };
  const get = async () => {
    const r = await fetch(`${sb.url}${P}/status`, { headers });
    if (r.status !== 200) throw new Error(`status answered ${r.status}`);
    return r.json();
  };
  for (let i = 0; i < 200; i++) await get(); // warm-up
  const times = [];
  for (let i = 0; i < 1000; i++) {
    const t = performance.now();
    await get();
    times.push(performance.now() - t);
  }
  let done = 0;
  const until = performance.now() + 3000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (performance.now() < until) {
        await get();
        done++;
      }
    }),
  );
  const body = await get();
  return { ...stats(times), rps: done / ((performance.now() - t0) / 1000), incidents: body.active_incidents };
}

async function addIncidents(sb, n) {
  const headers = {
    Authorization: `Bearer ${sb.credentials.keys.dispatcher}`,
    'X-Tenant-Code': 'lts',
    'Content-Type': 'application/json',
  };
  for (let i = 0; i < n; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, (_, j) =>
        fetch(`${sb.url}/api/v1/platform/incidents`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            type: 'perf',
            severity: 'S3',
            summary: `bench incident ${i + j}`,
            tenant_id: 'lts',
            site_id: 'wien',
          }),
        }).then((r) => {
          if (r.status !== 201 && r.status !== 200) throw new Error(`incident create answered ${r.status}`);
        }),
      ),
    );
  }
}

const rows = [];
const empty = await startSandbox(RATE);
try {
  rows.push({ case: 'empty (seed only)', ...(await measure(empty)) });
} finally {
  await empty.stop();
}
const loaded = await startSandbox([...RATE, '--seed-runs', '10000']);
try {
  await addIncidents(loaded, 1000);
  rows.push({ case: '10,000 runs + 1,000 incidents', ...(await measure(loaded)) });
} finally {
  await loaded.stop();
}
printTable(rows, ['case', 'n', 'p50', 'p99', 'max', 'rps', 'incidents']);
const last = rows[rows.length - 1];
console.log(
  `\nloaded: p99 ${last.p99.toFixed(2)} ms (target <= 10), ${Math.round(last.rps)} req/s (target >= 3000)`,
);
