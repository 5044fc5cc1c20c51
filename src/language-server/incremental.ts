// Re-validation while typing: the roster parser's per-line results are reused for lines whose text
// did not change, so an edit in a 10,000-line forecast re-parses one line, not all of them. The
// file-level summary is rebuilt from the parser's line results exactly as `parseForecast` builds it
// (a unit test compares the two on the fuzz corpus).
import {
  type ForecastLine,
  forecastInputHash,
  type ParsedForecast,
  parseForecastLine,
  type Verdict,
} from '../roster';

const RANK: Record<Verdict, number> = { PASS: 0, WARN: 1, FAIL: 2 };

/** The same file-level summary `parseForecast` returns, from already parsed lines. */
export function summarizeLines(lines: ForecastLine[]): ParsedForecast {
  const tours: ParsedForecast['tours'] = [];
  const canonical: string[] = [];
  const byCanonical = new Map<string, number[]>();
  const counts = { PASS: 0, WARN: 0, FAIL: 0 };
  let verdict: Verdict = 'PASS';
  let tourCount = 0;
  for (const l of lines) {
    if (RANK[l.verdict] > RANK[verdict]) verdict = l.verdict;
    if (l.kind === 'tour' || l.kind === 'invalid') counts[l.verdict]++;
    if (l.tour && l.canonical) {
      tours.push(l.tour);
      tourCount += l.tour.count;
      canonical.push(l.canonical);
      const seen = byCanonical.get(l.canonical);
      if (seen) seen.push(l.line);
      else byCanonical.set(l.canonical, [l.line]);
    }
  }
  const duplicates = [];
  for (const [c, ls] of byCanonical) if (ls.length > 1) duplicates.push({ canonical: c, lines: ls });
  return { verdict, lines, tours, inputHash: forecastInputHash(canonical), duplicates, tourCount, counts };
}

/** The parser's result for a line of the same text, moved to another line number. */
function relocate(l: ForecastLine, line: number): ForecastLine {
  if (l.line === line) return l;
  return { ...l, line, tour: l.tour ? { ...l.tour, line } : null };
}

/** One per document: remembers the previous version's lines by text. */
export class ForecastParseCache {
  private previous = new Map<string, ForecastLine>();

  parse(text: string): ParsedForecast {
    const next = new Map<string, ForecastLine>();
    const raw = text.split('\n');
    const lines = new Array<ForecastLine>(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const t = raw[i]!;
      const hit = next.get(t) ?? this.previous.get(t);
      const l = hit ? relocate(hit, i + 1) : parseForecastLine(t, i + 1);
      if (!hit) next.set(t, l);
      else if (!next.has(t)) next.set(t, hit);
      lines[i] = l;
    }
    this.previous = next;
    return summarizeLines(lines);
  }
}
