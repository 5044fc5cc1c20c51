// Realistic Wien-sized weekly forecasts (about 1,385 tours over four depots), deterministic by
// (week, seed), for seeding sandbox history and benchmarks; plus deliberately bad variants that make
// a run fail the way the runbook describes.
import { formatMinutes } from './forecast';
import { sha256Hex } from './hash';
import { seededRandom } from './solver';
import type { SolveOptions } from './solver';

/**
 * normal: a clean week. duplicates: re-imported lines (Overlap FAIL). uncoverable: tours no driver may
 * drive (Coverage < 100 %). nondeterministic: unseeded tie-breaking (Reproducibility FAIL). holiday:
 * Monday a public holiday with a third of the tours (same peak, fewer hours: FTE ratio drops).
 */
export type ForecastVariant = 'normal' | 'duplicates' | 'uncoverable' | 'nondeterministic' | 'holiday';

export interface GenerateOptions {
  /** Default 94. */
  seed?: number;
  variant?: ForecastVariant;
  /** Target tours for the week; default 1385 (varies +-2 % by week). */
  targetTours?: number;
  depots?: readonly string[];
  /** What the random choices are keyed on instead of the week (same key, same tours in any week). */
  variation?: string;
}

export interface GeneratedForecast {
  week: string;
  seed: number;
  variant: ForecastVariant;
  text: string;
  /** Tours after counts (what the parser's tourCount will say). */
  tourCount: number;
  /** Options the sandbox must pass to `solve` for the variant to show (see each variant). */
  solveOptions: SolveOptions;
  /** What a run of this forecast is expected to show. */
  expected: {
    coverage_below_100: boolean;
    overlap_fail: boolean;
    reproducibility_fail: boolean;
    /** 1-based lines the variant injected (for assertions and demo notes). */
    injected_lines: number[];
  };
}

export const DEFAULT_DEPOTS = ['Nord', 'Sued', 'West', 'Ost'] as const;
/** Bumped whenever the same options would generate other text (solved-week caches key on it). */
export const GENERATOR_VERSION = 'wien-waves/4';
/** Mo..So share of the week's tours (sums to 1): five even weekdays, a lighter Saturday, a thin Sunday. */
const DAY_SHARE = [0.162, 0.161, 0.161, 0.162, 0.162, 0.141, 0.051];
const DAYS = ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'];

interface Slot {
  start: number;
  length: number;
  split?: { start: number; length: number };
}

type Quant = (min: number, max: number, step?: number) => number;
/**
 * The day's tour shapes and their shares. Each day gets exactly its share of every wave (only the
 * times, lengths, depots and line counts inside a wave are random), so the morning peak, which
 * decides the headcount together with the previous evening's late tours (11 h rest), moves with the
 * week's volume instead of with the dice.
 */
const WAVES: { share: number; slot: (q: Quant) => Slot }[] = [
  // Morning wave: the bulk of parcel tours.
  { share: 0.535, slot: (q) => ({ start: q(4 * 60 + 45, 7 * 60 + 30), length: q(240, 300) }) },
  // Midday.
  { share: 0.255, slot: (q) => ({ start: q(10 * 60, 12 * 60 + 30), length: q(240, 285) }) },
  // Early evening (back by 20:15)...
  { share: 0.1, slot: (q) => ({ start: q(14 * 60 + 30, 15 * 60 + 45), length: q(240, 270) }) },
  // ...and late evening (back after 20:30: those drivers cannot take the next morning's wave).
  { share: 0.08, slot: (q) => ({ start: q(16 * 60 + 45, 17 * 60 + 15), length: q(240, 270) }) },
  // Split shifts: morning and late afternoon with a break.
  {
    share: 0.02,
    slot: (q) => ({
      start: q(6 * 60, 7 * 60),
      length: 240,
      split: { start: q(15 * 60, 16 * 60), length: 240 },
    }),
  },
  // Night tours.
  { share: 0.01, slot: (q) => ({ start: q(21 * 60 + 30, 22 * 60 + 30), length: q(240, 270) }) },
];

/** `total` split by `shares` (largest remainder, so the parts add up exactly). */
function apportion(total: number, shares: readonly number[]): number[] {
  const sum = shares.reduce((a, b) => a + b, 0);
  const raw = shares.map((s) => (total * s) / sum);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => ({ i, f: r - Math.floor(r) })).sort((a, b) => b.f - a.f || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]!.i]!++;
  return out;
}

function slotText(s: Slot): string {
  const range = (a: number, len: number) => `${formatMinutes(a)}-${formatMinutes(a + len)}`;
  return s.split
    ? `${range(s.start, s.length)} + ${range(s.split.start, s.split.length)}`
    : range(s.start, s.length);
}

/** A deterministic forecast for (week, seed, variant). */
export function generateForecast(week: string, options: GenerateOptions = {}): GeneratedForecast {
  const seed = options.seed ?? 94;
  const variant = options.variant ?? 'normal';
  const depots = options.depots ?? DEFAULT_DEPOTS;
  // Variants share the normal week's tours, so a bad week differs only in what was injected.
  const h = sha256Hex(`${options.variation ?? week}|${seed}`);
  const rand = seededRandom(Number.parseInt(h.slice(0, 8), 16));
  const target = Math.round((options.targetTours ?? 1385) * (0.98 + 0.04 * rand()));
  const q: Quant = (min, max, step = 15) => min + step * Math.floor(rand() * ((max - min) / step + 1));

  const out: string[] = [
    `# SOLVEREIGN forecast ${week} (generated, seed ${seed}${variant === 'normal' ? '' : `, variant ${variant}`})`,
    '# Day Start-End [Count Fahrer] [Depot Name]',
  ];
  let total = 0;
  const perDay = apportion(target, DAY_SHARE);
  // A public holiday on Monday: a third of the usual tours (the rest of the week is unchanged).
  if (variant === 'holiday') perDay[0] = Math.round(perDay[0]! / 3);
  for (let day = 0; day < 7; day++) {
    const want = perDay[day]!;
    const lines = new Map<string, number>(); // "slot|depot" -> count
    const perWave = apportion(
      want,
      WAVES.map((w) => w.share),
    );
    WAVES.forEach((wave, k) => {
      let have = 0;
      let guard = 0;
      while (have < perWave[k]! && guard++ < 10_000) {
        const slot = slotText(wave.slot(q));
        const depot = depots[Math.floor(rand() * depots.length)]!;
        const key = `${slot}|${depot}`;
        const cur = lines.get(key) ?? 0;
        const add = Math.min(perWave[k]! - have, 1 + Math.floor(rand() * 4), 10 - cur);
        if (add <= 0) continue;
        lines.set(key, cur + add);
        have += add;
      }
    });
    const have = [...lines.values()].reduce((x, y) => x + y, 0);
    out.push(
      '',
      `# ${DAYS[day]}: ${have} tours${variant === 'holiday' && day === 0 ? ' (public holiday)' : ''}`,
    );
    const sorted = [...lines].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    for (const [key, count] of sorted) {
      const [slot, depot] = key.split('|');
      out.push(`${DAYS[day]} ${slot}${count > 1 ? ` ${count} Fahrer` : ''} Depot ${depot}`);
    }
    total += have;
  }

  const injected: number[] = [];
  const solveOptions: SolveOptions = { seed };
  const append = (comment: string, lines: string[]) => {
    out.push('', comment);
    for (const l of lines) {
      out.push(l);
      injected.push(out.length);
    }
  };
  if (variant === 'duplicates') {
    // A re-imported block: the same lines pasted twice. The legacy importer merges them onto the
    // first line's drivers, which the Overlap audit catches.
    const tourLines = out.map((l, i) => ({ l, i })).filter(({ l }) => /^(Di|Mi) /.test(l));
    const picks = tourLines
      .filter((_, k) => k % Math.max(1, Math.floor(tourLines.length / 6)) === 0)
      .slice(0, 6);
    append(
      '# re-imported from the depot spreadsheet',
      picks.map(({ l }) => l),
    );
    for (const { l } of picks) total += Number(/ (\d+) Fahrer/.exec(l)?.[1] ?? 1);
    solveOptions.duplicatePolicy = 'legacy-merge';
  } else if (variant === 'uncoverable') {
    // Tours no driver may drive: a 15.5 h regular span and a 17 h split span.
    append('# Sunday night tours (long)', [
      'So 18:00-09:30 2 Fahrer Depot Ost',
      'So 17:00-21:00 + 06:00-10:00 Depot Nord',
    ]);
    total += 3;
  } else if (variant === 'nondeterministic') {
    solveOptions.nondeterministic = true;
  }

  return {
    week,
    seed,
    variant,
    text: `${out.join('\n')}\n`,
    tourCount: total,
    solveOptions,
    expected: {
      coverage_below_100: variant === 'uncoverable',
      overlap_fail: variant === 'duplicates',
      reproducibility_fail: variant === 'nondeterministic',
      injected_lines: injected,
    },
  };
}
