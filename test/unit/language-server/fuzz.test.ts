// 10,000 generated lines through the protocol: the server never fails, every line built to be invalid
// gets an error with the code it was built for, every line built to be valid gets none, and random
// junk never starting with a day word always gets MISSING_DAY. Seeded, so a failure reproduces.
import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { FORECAST_LANGUAGE_ID } from '../../../src/language/protocol';
import { DAY_ABBREVIATIONS, DAY_NAMES, parseForecast } from '../../../src/roster';
import { ForecastParseCache } from '../../../src/language-server/incremental';
import { applyEdits, startTestServer, type TestClient } from './harness';

const SEED = Number(process.env.FUZZ_SEED ?? 20260113);
const LINES = 10_000;

function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  return { next, int, pick };
}

type Kind = 'valid' | 'invalid' | 'junk' | 'comment' | 'blank';
interface GenLine {
  text: string;
  kind: Kind;
  /** For 'invalid': the code the line was built to produce. */
  code?: string;
}

const GERMAN_DAY = new Set([...DAY_ABBREVIATIONS, ...DAY_NAMES].map((d) => d.toLowerCase()));

function generate(seed: number, count: number): GenLine[] {
  const r = rng(seed);
  const time = (min: number, pad = r.next() < 0.8) => {
    const m = ((min % 1440) + 1440) % 1440;
    const h = String(Math.floor(m / 60));
    return `${pad ? h.padStart(2, '0') : h}:${String(m % 60).padStart(2, '0')}`;
  };
  const day = () => {
    const d = r.pick([...DAY_ABBREVIATIONS, ...DAY_NAMES]);
    return r.next() < 0.1 ? d.toLowerCase() : d;
  };
  const sp = () => r.pick([' ', ' ', ' ', '  ', '\t']);
  const validTour = (): string => {
    const s1 = r.int(0, 1439);
    const d1 = r.int(1, 300);
    let range = `${time(s1)}${r.pick(['-', '-', ' - '])}${time(s1 + d1)}`;
    if (r.next() < 0.2) {
      const s2 = s1 + d1 + r.int(30, 240);
      range += `${r.pick([' + ', '+'])}${time(s2)}-${time(s2 + r.int(1, 300))}`;
    }
    let line = `${day()}${sp()}${range}`;
    if (r.next() < 0.5)
      line += `${sp()}${r.int(1, 10)}${r.pick([' Fahrer', ' fahrer', ' Driver', '', 'Fahrer'])}`;
    if (r.next() < 0.3)
      line += `${sp()}${r.pick(['Depot', 'depot', 'DEPOT'])} ${r.pick(['Nord', 'sued', 'West', 'Wien Mitte'])}`;
    if (r.next() < 0.1) line += ` # ${r.pick(['note', 'früh', 'x'])}`;
    return line;
  };
  const invalid = (): GenLine => {
    const base = `${time(r.int(0, 1439))}-${time(r.int(0, 1439))}`;
    switch (r.int(0, 8)) {
      case 0:
        return {
          kind: 'invalid',
          code: 'MISSING_DAY',
          text: `${r.pick(['Monday', 'Tue', 'wednesday', 'Thu', 'Fri', 'Sat', 'Sun', 'Mon.'])} ${base}`,
        };
      case 1:
        return { kind: 'invalid', code: 'MISSING_DAY', text: `${base} ${r.int(1, 5)} Fahrer` };
      case 2:
        return {
          kind: 'invalid',
          code: 'MISSING_TIME_RANGE',
          text: `${day()}${r.pick(['', ' ', '  # note'])}`,
        };
      case 3:
        return {
          kind: 'invalid',
          code: 'INVALID_HOUR',
          text: `${day()} ${r.int(24, 99)}:${String(r.int(0, 59)).padStart(2, '0')}-10:00`,
        };
      case 4:
        return {
          kind: 'invalid',
          code: 'INVALID_MINUTE',
          text: `${day()} 06:00-${r.int(0, 23)}:${r.int(60, 99)}`,
        };
      case 5:
        return {
          kind: 'invalid',
          code: 'INVALID_SPLIT_FORMAT',
          text: `${day()} 06:00-08:00 + 09:00-10:00 + 11:00-12:00`,
        };
      case 6:
        return {
          kind: 'invalid',
          code: 'INVALID_TIME_RANGE',
          text: `${day()} ${r.pick(['abc', 'Fahrer', 'Depot Nord', '06:00'])}`,
        };
      case 7:
        return {
          kind: 'invalid',
          code: 'INVALID_TIME_FORMAT',
          text: `${day()} ${r.pick(['6', '0600', '6:0', '6.00', '12:345', 'x', ''])}-14:00`,
        };
      default:
        return { kind: 'invalid', code: 'INVALID_TIME_RANGE', text: `${day()} 06:00-07:00-08:00` };
    }
  };
  const junk = (): string => {
    const alphabet = 'abcXYZ019:-+# \t.,äß–\u0000\u00a0😀'.split('');
    let s = '';
    const n = r.int(1, 40);
    for (let i = 0; i < n; i++) s += r.pick(alphabet);
    return s;
  };
  const out: GenLine[] = [];
  for (let i = 0; i < count; i++) {
    const x = r.next();
    if (x < 0.55) out.push({ kind: 'valid', text: validTour() });
    else if (x < 0.8) out.push(invalid());
    else if (x < 0.93) out.push({ kind: 'junk', text: junk() });
    else if (x < 0.97) out.push({ kind: 'comment', text: `# ${junk()}` });
    else out.push({ kind: 'blank', text: r.pick(['', '  ', '\t']) });
  }
  return out;
}

describe(`language server: fuzz (${LINES} lines, seed ${SEED})`, function () {
  // Generous: a slow CI machine must not turn this into a timing test.
  this.timeout(60_000);
  let client: TestClient;
  const lines = generate(SEED, LINES);
  const text = lines.map((l) => l.text).join('\n');
  const uri = 'file:///fuzz/random.forecast';
  let diagnostics: Diagnostic[];
  const errorsOn = new Map<number, Diagnostic[]>();

  before(async () => {
    client = await startTestServer();
    diagnostics = await client.open(uri, FORECAST_LANGUAGE_ID, text);
    for (const d of diagnostics) {
      if (d.severity !== 1) continue;
      const list = errorsOn.get(d.range.start.line) ?? [];
      list.push(d);
      errorsOn.set(d.range.start.line, list);
    }
  });
  after(() => client.dispose());

  it('generated every kind of line', () => {
    const kinds = new Set(lines.map((l) => l.kind));
    assert.deepEqual([...kinds].sort(), ['blank', 'comment', 'invalid', 'junk', 'valid']);
    assert.equal(text.split('\n').length, LINES);
  });

  it('every line built invalid has an error with the code it was built for', () => {
    const missing = lines
      .map((l, i) => ({ ...l, i }))
      .filter((l) => l.kind === 'invalid' && !errorsOn.get(l.i)?.some((d) => d.code === l.code))
      .map(
        (l) =>
          `${l.i}: ${JSON.stringify(l.text)} wants ${l.code}, got ${JSON.stringify(errorsOn.get(l.i)?.map((d) => d.code))}`,
      );
    assert.deepEqual(missing.slice(0, 10), []);
  });

  it('no line built valid (or a comment or blank) has an error', () => {
    const wrong = lines
      .map((l, i) => ({ ...l, i }))
      .filter((l) => (l.kind === 'valid' || l.kind === 'comment' || l.kind === 'blank') && errorsOn.has(l.i))
      .map(
        (l) =>
          `${l.i}: ${JSON.stringify(l.text)} -> ${errorsOn
            .get(l.i)!
            .map((d) => d.message)
            .join('; ')}`,
      );
    assert.deepEqual(wrong.slice(0, 10), []);
  });

  it('junk that does not start with a German day word gets MISSING_DAY; every failing line an error', () => {
    const parsed = parseForecast(text);
    const problems: string[] = [];
    lines.forEach((l, i) => {
      const first = l.text.trim().split(/\s+/)[0] ?? '';
      const comment = l.text.trim().startsWith('#') || l.text.trim() === '';
      if (l.kind === 'junk' && !comment && !GERMAN_DAY.has(first.toLowerCase())) {
        if (!errorsOn.get(i)?.some((d) => d.code === 'MISSING_DAY'))
          problems.push(`${i}: ${JSON.stringify(l.text)}`);
      }
      if (parsed.lines[i]!.verdict === 'FAIL' && !errorsOn.has(i)) problems.push(`${i} FAIL without error`);
    });
    assert.deepEqual(problems.slice(0, 10), []);
  });

  it('every diagnostic range lies inside its line', () => {
    const src = text.split('\n');
    const outside = diagnostics.filter((d) => {
      const len = src[d.range.start.line]?.length ?? -1;
      const endLen = src[d.range.end.line]?.length ?? -1;
      return (
        d.range.start.character > len ||
        d.range.end.character > endLen ||
        d.range.end.line < d.range.start.line
      );
    });
    assert.deepEqual(outside.slice(0, 5), []);
  });

  it('hover, completion and code actions answer on 300 random positions', async () => {
    const r = rng(SEED + 1);
    for (let k = 0; k < 300; k++) {
      const line = r.int(0, LINES - 1);
      const character = r.int(0, lines[line]!.text.length);
      await client.hover(uri, line, character);
      await client.completion(uri, line, character);
      const here = diagnostics.filter((d) => d.range.start.line === line);
      const actions = ((await client.codeActions(
        uri,
        { start: { line, character }, end: { line, character } },
        here,
      )) ?? []) as CodeAction[];
      for (const a of actions) assert.ok(a.edit?.changes?.[uri]?.length, a.title);
    }
  });

  it('formatting keeps every line meaning the same (same verdict and canonical form)', async () => {
    const formatted = applyEdits(text, (await client.format(uri)) ?? []);
    const before = parseForecast(text).lines;
    const after = parseForecast(formatted).lines;
    assert.equal(after.length, before.length);
    const changed = before
      .map((b, i) => ({ b, a: after[i]! }))
      .filter(({ a, b }) => a.verdict !== b.verdict || a.canonical !== b.canonical)
      .map(({ a, b }) => `${b.line}: ${JSON.stringify(b.text)} -> ${JSON.stringify(a.text)}`);
    assert.deepEqual(changed.slice(0, 10), []);
  });
});

describe('incremental re-parse while typing', function () {
  this.timeout(60_000);
  it('gives exactly what parseForecast gives, over a sequence of random edits of the fuzz corpus', () => {
    const r = rng(SEED + 2);
    const cache = new ForecastParseCache();
    const lines = generate(SEED + 3, 1000).map((l) => l.text);
    for (let step = 0; step < 25; step++) {
      const text = lines.join('\n');
      assert.deepEqual(cache.parse(text), parseForecast(text), `step ${step}`);
      // Edit: change, insert, delete or duplicate a few lines.
      for (let k = 0; k < 5; k++) {
        const i = r.int(0, lines.length - 1);
        const op = r.int(0, 3);
        if (op === 0) lines[i] = `${lines[i]}${r.pick(['1', ' ', ':', 'x'])}`;
        else if (op === 1) lines.splice(i, 0, lines[r.int(0, lines.length - 1)]!);
        else if (op === 2 && lines.length > 1) lines.splice(i, 1);
        else lines.push(lines[i]!);
      }
    }
  });
});
