// CLI entry of the sandbox (bundled to dist/sandbox.js; `npm run sandbox`).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { liveTenantIds } from './profiles/live';
import { killSwitchFile, readGlobalKillSwitch, setGlobalKillSwitch } from './profiles/globalKillSwitch';
import { isSandboxProfileName, SANDBOX_PROFILES } from './profiles/profile';
import { startSandbox } from './server';

const USAGE = `Usage: node dist/sandbox.js [options]
       node dist/sandbox.js kill-switch --activate|--deactivate --by USER --reason TEXT [--data DIR]
  --profile P        default (our contract: every [live] and [ops] endpoint) or live (SOLVEREIGN
                     as deployed: no auth on the cockpit, live's shapes, [ops] endpoints 404, one
                     global kill switch in DIR/kill-switch.json)
  --data DIR         data folder (default: the database's folder, .sandbox)
  --port N           port (0 = any free port; default 8765)
  --host H           bind address (default 127.0.0.1)
  --db FILE          SQLite database (default .sandbox/solvereign.db)
  --reset            delete the database and seed it again
  --seed-runs N      bulk-generate N extra runs on lts/wien when seeding (paging benchmarks)
  --seed-engine E    who solves lts/wien's seeded weeks: roster (default; the roster engine on
                     generated Wien-sized weeks, a few seconds once, then cached) or synthetic
                     (hand-written runs, instant)
  --seed-cache FILE  cache of engine-solved seed weeks (default seed-cache.json beside the
                     database; env SOLVEREIGN_SEED_CACHE)
  --seed-weeks N     seed only the newest N weeks per tenant
  --rate-limit N     requests per user (or per address without a valid key) per minute (default 3000)
  --allow-host NAME  accept this Host header besides 127.0.0.1/localhost/::1 (repeatable)
  --min-pause T/S=N  site setting: minimum minutes between a driver's tours on tenant T, site S
                     (repeatable; default 30 everywhere)
  --max-tours N      tours one solve request may ask for (default 20000)
  --enable-faults    enable /__sandbox/faults and /__sandbox/db (tests only)
  --quiet            print only the listening line
  -h, --help         this help

kill-switch: live's global switch for a sandbox started with --profile live (stands in for
live's \`python backend_py/api/services/publish_gate.py kill-switch\`, which runs on the server).
It stops publish and lock on every site of every tenant; the running sandbox reads the file on
each request. --reason needs at least 10 characters.`;

async function main(): Promise<void> {
  if (process.argv[2] === 'kill-switch') return killSwitchCommand(process.argv.slice(3));
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const v = args.values;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = v.port === undefined ? 8765 : Number(v.port);
  const seedRuns = v['seed-runs'] === undefined ? 0 : Number(v['seed-runs']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0..65535, got ${v.port}`);
  if (!Number.isInteger(seedRuns) || seedRuns < 0) fail(`--seed-runs must be a non-negative integer`);
  const seedEngine = v['seed-engine'] ?? 'roster';
  if (seedEngine !== 'synthetic' && seedEngine !== 'roster')
    fail('--seed-engine must be synthetic or roster');
  const seedWeeks = v['seed-weeks'] === undefined ? undefined : Number(v['seed-weeks']);
  if (seedWeeks !== undefined && (!Number.isInteger(seedWeeks) || seedWeeks < 1))
    fail('--seed-weeks must be >= 1');
  const rateLimit = v['rate-limit'] === undefined ? undefined : Number(v['rate-limit']);
  if (rateLimit !== undefined && (!Number.isInteger(rateLimit) || rateLimit < 1))
    fail('--rate-limit must be a positive integer');
  const minPauseMinutes: Record<string, number> = {};
  for (const spec of v['min-pause'] ?? []) {
    const m = /^([\w-]+\/[\w-]+)=(\d+)$/.exec(spec);
    if (!m || Number(m[2]) > 240) fail(`--min-pause takes tenant/site=minutes (0..240), got ${spec}`);
    minPauseMinutes[m![1]!] = Number(m![2]);
  }
  const maxTours = v['max-tours'] === undefined ? undefined : Number(v['max-tours']);
  if (maxTours !== undefined && (!Number.isInteger(maxTours) || maxTours < 1))
    fail('--max-tours must be a positive integer');
  const profile = v.profile ?? 'default';
  if (!isSandboxProfileName(profile))
    fail(`--profile must be ${SANDBOX_PROFILES.join(' or ')}, got ${profile}`);
  const dbPath = path.resolve(v.db ?? path.join(v.data ?? '.sandbox', 'solvereign.db'));
  const dataDir = path.resolve(v.data ?? path.dirname(dbPath));
  const started = performance.now();
  const sandbox = await startSandbox({
    host: v.host ?? '127.0.0.1',
    port,
    dbPath,
    reset: v.reset === true,
    faults: v['enable-faults'] === true,
    seedRuns,
    seedEngine,
    seedWeeks,
    seedCacheFile: v['seed-cache'] ?? (process.env.SOLVEREIGN_SEED_CACHE || undefined),
    rateLimit: rateLimit === undefined ? undefined : { limit: rateLimit, windowMs: 60_000 },
    allowedHosts: v['allow-host'],
    solver: { minPauseMinutes, ...(maxTours !== undefined ? { maxToursPerRequest: maxTours } : {}) },
    profile,
    dataDir,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`SOLVEREIGN sandbox listening on ${sandbox.url}\n`);
  if (!v.quiet) {
    const rows = sandbox.demoCredentials;
    const w = (k: 'tenant_code' | 'role' | 'email' | 'api_key') =>
      Math.max(k.length, ...rows.map((r) => r[k].length));
    const line = (a: string, b: string, c: string, d: string) =>
      `  ${a.padEnd(w('tenant_code'))}  ${b.padEnd(w('role'))}  ${c.padEnd(w('email'))}  ${d}`;
    process.stdout.write(
      [
        `database ${dbPath} (${sandbox.seeded ? 'seeded' : 'existing data'}; ready in ${ms} ms)${
          v['enable-faults'] ? '; fault injection ENABLED' : ''
        }`,
        ...(profile === 'live'
          ? [
              'profile live: SOLVEREIGN as deployed; the cockpit needs no sign-in; [ops] endpoints answer 404',
              `sign-in tenant ids (integers, as on live): ${Object.entries(liveTenantIds(sandbox.store))
                .map(([code, id]) => `${code}=${id}`)
                .join(', ')}`,
              `global kill switch ${killSwitchFile(dataDir)}: ${readGlobalKillSwitch(dataDir).active ? 'ACTIVE' : 'off'}; toggle with`,
              `  solvereign sandbox kill-switch --activate|--deactivate --by USER --reason TEXT --data ${dataDir}`,
            ]
          : []),
        `demo credentials (password for every account: ${rows[0].password}):`,
        line('tenant', 'role', 'email', 'API key'),
        ...rows.map((r) => line(r.tenant_code, r.role, r.email, r.api_key)),
        '',
      ].join('\n'),
    );
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    sandbox.close().then(
      () => {
        if (!v.quiet) process.stderr.write(`sandbox stopped (${signal})\n`);
        process.exit(0);
      },
      (e) => {
        process.stderr.write(`sandbox: error while stopping: ${e}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

function parse() {
  return parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      reset: { type: 'boolean' },
      'seed-runs': { type: 'string' },
      'enable-faults': { type: 'boolean' },
      'seed-engine': { type: 'string' },
      'seed-weeks': { type: 'string' },
      'seed-cache': { type: 'string' },
      'rate-limit': { type: 'string' },
      'allow-host': { type: 'string', multiple: true },
      'min-pause': { type: 'string', multiple: true },
      'max-tours': { type: 'string' },
      quiet: { type: 'boolean' },
      profile: { type: 'string' },
      data: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
}

/** `kill-switch --activate|--deactivate --by U --reason R [--data DIR]`: exit 0 done, 2 bad input. */
function killSwitchCommand(argv: string[]): void {
  let v: {
    activate?: boolean;
    deactivate?: boolean;
    by?: string;
    reason?: string;
    data?: string;
    help?: boolean;
  };
  try {
    v = parseArgs({
      args: argv,
      options: {
        activate: { type: 'boolean' },
        deactivate: { type: 'boolean' },
        by: { type: 'string' },
        reason: { type: 'string' },
        data: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (e) {
    fail(`kill-switch: ${(e as Error).message}`);
  }
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (v.activate === v.deactivate) fail('kill-switch: give exactly one of --activate or --deactivate');
  const dataDir = path.resolve(v.data ?? '.sandbox');
  try {
    const { state, changed } = setGlobalKillSwitch(dataDir, {
      active: v.activate === true,
      by: v.by ?? '',
      reason: v.reason ?? '',
    });
    process.stdout.write(
      `${changed ? '' : 'unchanged: '}kill switch ${state.active ? 'ACTIVE' : 'off'} (global: every site of every tenant) — by ${state.by}: ${v.reason?.trim()}\n${killSwitchFile(dataDir)}\n`,
    );
  } catch (e) {
    fail(`kill-switch: ${(e as Error).message}`);
  }
}

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

main().catch((e) => {
  process.stderr.write(`sandbox failed to start: ${(e as Error)?.message ?? e}\n`);
  process.exit(1);
});
