// Realistic Wien-sized weekly forecasts (about 1,385 tours over four depots), deterministic by
// (week, seed), for seeding sandbox history and benchmarks; plus deliberately bad variants that make
// a run fail the way the runbook describes.
import { formatMinutes } from './forecast';
import { sha256Hex } from './hash';
import { seededRandom } from './solver';
import type { SolveOptions } from './solver';

export type ForecastVariant = 'normal' | 'duplicates' | 'uncoverable' | 'nondeterministic';

export interface GenerateOptions {
  /** Default 94. */
  seed?: number;
  variant?: ForecastVariant;
  /** Target tours for the week; default 1385 (varies +-2 % by week). */
  targetTours?: number;
  depots?: readonly string[];
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
const DAY_SHARE = [0.163, 0.16, 0.16, 0.162, 0.166, 0.136, 0.053]; // Mo..So, sums to 1
const DAYS = ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'];

interface Slot {
  start: number;
  length: number;
  split?: { start: number; length: number };
}

/** Picks a tour shape: morning wave, midday, evening, the odd split shift or night tour. */
function pickSlot(rand: () => number): Slot {
  const q = (min: number, max: number, step = 15) =>
    min + step * Math.floor(rand() * ((max - min) / step + 1));
  const r = rand();
  if (r < 0.54) return { start: q(4 * 60 + 45, 7 * 60 + 30), length: q(240, 300) };
  if (r < 0.79) return { start: q(10 * 60, 12 * 60 + 30), length: q(240, 270) };
  if (r < 0.97) return { start: q(14 * 60 + 30, 17 * 60 + 30), length: q(240, 270) };
  if (r < 0.99)
    return { start: q(6 * 60, 7 * 60), length: 240, split: { start: q(15 * 60, 16 * 60), length: 240 } };
  return { start: q(21 * 60 + 30, 22 * 60 + 30), length: q(240, 270) };
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
  const h = sha256Hex(`${week}|${seed}`);
  const rand = seededRandom(Number.parseInt(h.slice(0, 8), 16));
  const target = Math.round((options.targetTours ?? 1385) * (0.98 + 0.04 * rand()));

  const out: string[] = [
    `# SOLVEREIGN forecast ${week} (generated, seed ${seed}${variant === 'normal' ? '' : `, variant ${variant}`})`,
    '# Day Start-End [Count Fahrer] [Depot Name]',
  ];
  let total = 0;
  for (let day = 0; day < 7; day++) {
    const want = Math.round(target * DAY_SHARE[day]!);
    const lines = new Map<string, number>(); // "slot|depot" -> count
    let have = 0;
    let guard = 0;
    while (have < want && guard++ < 10_000) {
      const slot = slotText(pickSlot(rand));
      const depot = depots[Math.floor(rand() * depots.length)]!;
      const key = `${slot}|${depot}`;
      const cur = lines.get(key) ?? 0;
      const add = Math.min(want - have, 1 + Math.floor(rand() * 4), 10 - cur);
      if (add <= 0) continue;
      lines.set(key, cur + add);
      have += add;
    }
    out.push('', `# ${DAYS[day]}: ${have} tours`);
    const sorted = [...lines].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
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
    append('# special transports (long)', [
      'Mi 04:00-19:30 2 Fahrer Depot Ost',
      'Do 05:00-09:00 + 18:00-22:00 Depot Nord',
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
