// Seed history solved by the roster engine: generated Wien-sized weeks (src/roster/generate.ts),
// including the runbook's bad weeks, solved once and cached in a JSON file keyed by engine and
// generator version, so later starts stay quick.
//
// A week's tours are keyed on its place in the history (tenant, weeks ago), not on the calendar
// week: the solve does not depend on the week's dates (assignments carry day numbers 1..7), so a
// cached solve stays valid as the calendar moves on; only the forecast's header comment and the
// plan's week_id are written for the week it is shown in (the input hash skips comments).
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type ForecastVariant,
  GENERATOR_VERSION,
  type GenerateOptions,
  generateForecast,
  parseForecast,
  SOLVER_VERSION,
} from '../roster/index';
import { isPrivateFile, writeFileSafeSync } from '../shared/safeWrite';
import type { SolvedWeek } from './runs';
import { runSolve } from './solve-core';
import type { Scenario } from './synth';

/** What a cache file must have been written by to be read. */
export const SEED_ENGINE_VERSION = `${SOLVER_VERSION}+${GENERATOR_VERSION}`;

/** A solved week as cached: without its forecast text, which is regenerated for the shown week. */
type CachedWeek = Omit<SolvedWeek, 'forecast'>;

interface CacheFile {
  engine: string;
  entries: Record<string, CachedWeek>;
}

/**
 * The per-user cache every sandbox on this machine shares (tests and throwaway sandboxes start from
 * fresh databases): `<tmpdir>/solvereign-seed-cache-<uid>/<engine version>.json`.
 */
export function sharedSeedCacheFile(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  const name = SEED_ENGINE_VERSION.replace(/[^A-Za-z0-9.+-]/g, '_');
  return path.join(os.tmpdir(), `solvereign-seed-cache-${uid}`, `${name}.json`);
}

function readCache(file: string | undefined): Record<string, CachedWeek> | undefined {
  if (!file || !existsSync(file)) return undefined;
  try {
    // Only our own owner-only regular files (the shared folder is in a world-writable tmpdir).
    if (!isPrivateFile(file)) return undefined;
    const data = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
    return data.engine === SEED_ENGINE_VERSION && data.entries ? data.entries : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(file: string, entries: Record<string, CachedWeek>): void {
  // Owner-only folder (refused when another user planted it), unpredictable temp name, no links.
  writeFileSafeSync(file, JSON.stringify({ engine: SEED_ENGINE_VERSION, entries } satisfies CacheFile), {
    private: true,
  });
}

/** Solved weeks by key: read from `file`, else from `shared`; saved to both. */
export class EngineCache {
  private entries: Record<string, CachedWeek>;
  private dirty = false;
  private readonly stale = new Set<string>();
  hits = 0;
  misses = 0;

  constructor(
    readonly file?: string,
    readonly shared?: string,
  ) {
    const own = readCache(file);
    const common = shared && shared !== file ? readCache(shared) : own;
    this.entries = { ...common, ...own };
    if (file && !own) this.stale.add(file);
    if (shared && !common) this.stale.add(shared);
  }

  get(key: string, valid: (hit: CachedWeek) => boolean, make: () => CachedWeek): CachedWeek {
    const hit = this.entries[key];
    if (hit && valid(hit)) {
      this.hits++;
      return hit;
    }
    this.misses++;
    const v = make();
    this.entries[key] = v;
    this.dirty = true;
    return v;
  }

  /** Writes the files that lack something (best effort for the shared one). */
  save(): void {
    for (const f of [this.file, this.shared]) {
      if (!f || (!this.dirty && !this.stale.has(f))) continue;
      try {
        writeCache(f, this.entries);
      } catch (err) {
        if (f === this.file) throw err;
      }
    }
    this.dirty = false;
    this.stale.clear();
  }
}

/**
 * Each scenario as a generated week: normal weeks; a seasonal peak (9 % more tours: headcount drift
 * WARN); a public holiday Monday (same peak, fewer hours: FTE ratio WARN); the three bad weeks.
 */
const VARIANT: Record<Scenario, { variant: ForecastVariant; toursFactor?: number }> = {
  pass: { variant: 'normal' },
  warn_fatigue: { variant: 'holiday' },
  warn_headcount: { variant: 'normal', toursFactor: 1.09 },
  fail_overlap: { variant: 'duplicates' },
  blocked_coverage: { variant: 'uncoverable' },
  fail_repro: { variant: 'nondeterministic' },
  error_timeout: { variant: 'normal' },
};

/** What the engine-solved weeks are noted as where the scenario reads differently than synthetic. */
export const ENGINE_NOTES: Partial<Record<Scenario, string>> = {
  warn_fatigue:
    'Published with override_warn: public holiday on Monday, FTE ratio below 95 % reviewed by ops lead',
  warn_headcount: 'Headcount above baseline: seasonal peak (9 % more tours)',
};

/**
 * Local-search budget (rule checks) for seeded solves: on generated Wien weeks it reaches the same
 * headcount as the default budget, several times faster. Recorded in the run's solver config.
 */
export const SEED_SEARCH_BUDGET = 200_000;

/** One seeded week solved by the engine (from the cache when it is there). */
export function engineWeek(
  cache: EngineCache,
  tenant: string,
  week: string,
  weeksAgo: number,
  scenario: Scenario,
  targetTours: number,
): SolvedWeek {
  const { variant, toursFactor = 1 } = VARIANT[scenario];
  const gen: GenerateOptions = {
    variant,
    targetTours: Math.round(targetTours * toursFactor),
    // Keyed on the slot only: the timed-out week and its re-run solve the same forecast.
    variation: `${tenant}:history:${weeksAgo}`,
  };
  const key = `${tenant}|${weeksAgo}|${scenario}|${gen.targetTours}`;
  const g = generateForecast(week, gen);
  const inputHash = `sha256:${parseForecast(g.text).inputHash}`;
  // A cached solve of other tours (written by other generator code under the same version) is
  // solved again, so the forecast in the evidence pack is always the one that was solved.
  const cached = cache.get(
    key,
    (hit) => hit.input_hash === inputHash,
    () => {
      const { forecast: _text, ...solved } = runSolve({
        forecast: g.text,
        week,
        seed: g.seed,
        options: { ...g.solveOptions, searchBudget: SEED_SEARCH_BUDGET },
        // The ERROR week: a solver time limit no Wien week can meet (ERR_SOLVE_001).
        timeLimitMs: scenario === 'error_timeout' ? 1 : 120_000,
      });
      return solved;
    },
  );
  return {
    ...cached,
    forecast: g.text,
    plan: cached.plan ? { ...(cached.plan as object), week_id: week } : null,
  };
}
