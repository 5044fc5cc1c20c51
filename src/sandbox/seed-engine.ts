// Seed history solved by the roster engine: generated Wien-sized weeks (src/roster/generate.ts),
// including the runbook's bad weeks, solved once and cached in a JSON file keyed by engine version,
// so later starts stay quick.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type ForecastVariant, generateForecast, SOLVER_VERSION } from '../roster/index';
import type { SolvedWeek } from './runs';
import { runSolve } from './solve-core';
import type { Scenario } from './synth';

interface CacheFile {
  engine: string;
  entries: Record<string, SolvedWeek>;
}

export class EngineCache {
  private entries: Record<string, SolvedWeek> = {};
  private dirty = false;
  hits = 0;
  misses = 0;

  constructor(readonly file?: string) {
    if (file && existsSync(file)) {
      try {
        const data = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
        if (data.engine === SOLVER_VERSION) this.entries = data.entries;
      } catch {
        this.entries = {};
      }
    }
  }

  get(key: string, make: () => SolvedWeek): SolvedWeek {
    const hit = this.entries[key];
    if (hit) {
      this.hits++;
      return hit;
    }
    this.misses++;
    const v = make();
    this.entries[key] = v;
    this.dirty = true;
    return v;
  }

  save(): void {
    if (!this.file || !this.dirty) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ engine: SOLVER_VERSION, entries: this.entries } satisfies CacheFile));
    renameSync(tmp, this.file);
    this.dirty = false;
  }
}

const VARIANT: Record<Scenario, ForecastVariant> = {
  pass: 'normal',
  warn_fatigue: 'normal',
  warn_headcount: 'normal',
  fail_overlap: 'duplicates',
  blocked_coverage: 'uncoverable',
  fail_repro: 'nondeterministic',
  error_timeout: 'normal',
};

/** One seeded week solved by the engine (from the cache when it is there). */
export function engineWeek(
  cache: EngineCache,
  tenant: string,
  week: string,
  scenario: Scenario,
  targetTours: number,
): SolvedWeek {
  const variant = VARIANT[scenario];
  // The headcount week has a seasonal peak: 7 % more tours.
  const tours = scenario === 'warn_headcount' ? Math.round(targetTours * 1.07) : targetTours;
  const key = `${SOLVER_VERSION}|${tenant}|${week}|${scenario}|${tours}`;
  return cache.get(key, () => {
    const g = generateForecast(week, { variant, targetTours: tours });
    return runSolve({
      forecast: g.text,
      week,
      seed: g.seed,
      options: g.solveOptions,
      // The ERROR week: a solver time limit no Wien week can meet (ERR_SOLVE_001).
      timeLimitMs: scenario === 'error_timeout' ? 1 : 120_000,
    });
  });
}
