import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type {
  CodeAction,
  CompletionItem,
  Diagnostic,
  DocumentSymbol,
  Hover,
  MarkupContent,
} from 'vscode-languageserver-protocol';
import { COMMANDS, FORECAST_LANGUAGE_ID, forecastSummaryRequest } from '../../../src/language/protocol';
import { applyEdits, rangeText, startTestServer, type TestClient } from './harness';

const fixtures = path.resolve(__dirname, '../../fixtures/language');
const TEMPLATE = readFileSync(path.join(fixtures, 'forecast_template.txt'), 'utf8');
const PROBLEMS = readFileSync(path.join(fixtures, 'problems.forecast'), 'utf8');
const lineOf = (text: string, needle: string) => text.split('\n').indexOf(needle);
const hoverText = (h: Hover | null) => (h?.contents as MarkupContent | undefined)?.value ?? '';
const labels = (items: CompletionItem[] | { items: CompletionItem[] } | null) =>
  (Array.isArray(items) ? items : (items?.items ?? [])).map((i) => i.label);

describe('language server: forecast', () => {
  let client: TestClient;
  before(async () => {
    client = await startTestServer();
  });
  after(() => client.dispose());

  describe('diagnostics', () => {
    const uri = 'file:///work/problems.forecast';
    let diags: Diagnostic[];
    before(async () => {
      diags = await client.open(uri, FORECAST_LANGUAGE_ID, PROBLEMS);
    });
    const on = (line: string) => diags.filter((d) => d.range.start.line === lineOf(PROBLEMS, line));

    const cases: [line: string, code: string, severity: 1 | 2, text: string][] = [
      ['Monday 06:00-14:00', 'MISSING_DAY', 1, 'Monday'],
      ['06:00-14:00', 'MISSING_DAY', 1, ''],
      ['Mo', 'MISSING_TIME_RANGE', 1, 'Mo'],
      ['Mo abc', 'INVALID_TIME_RANGE', 1, 'abc'],
      ['Mo 6:0-14:00', 'INVALID_TIME_FORMAT', 1, '6:0'],
      ['Mo 24:00-14:00', 'INVALID_HOUR', 1, '24'],
      ['Mo 06:60-14:00', 'INVALID_MINUTE', 1, '60'],
      ['Mo 06:00-10:00 + 11:00-12:00 + 13:00-14:00', 'INVALID_SPLIT_FORMAT', 1, '+'],
      ['Mo 06:00-14:00 11 Fahrer', 'HIGH_COUNT', 2, '11'],
      ['Mo 04:00-23:00', 'EXCESSIVE_WORK_HOURS', 2, '04:00-23:00'],
    ];
    for (const [line, code, severity, text] of cases) {
      it(`${code} on "${line}": ${severity === 1 ? 'error' : 'warning'} on "${text}"`, () => {
        const d = on(line).find((x) => x.code === code);
        assert.ok(d, `no ${code} on ${line}: ${JSON.stringify(on(line))}`);
        assert.equal(d.severity, severity);
        assert.equal(d.source, 'solvereign');
        assert.equal(rangeText(PROBLEMS, d), text);
        assert.equal(d.range.start.line, d.range.end.line);
      });
    }

    it('marks both lines of a duplicate tour, each pointing at the other', () => {
      const a = lineOf(PROBLEMS, 'Di 06:00-14:00 2 Fahrer Depot Nord');
      const b = lineOf(PROBLEMS, 'Di 6:00-14:00 2 driver Depot nord');
      const dups = diags.filter((d) => d.code === 'DUPLICATE_TOUR');
      assert.deepEqual(
        dups.map((d) => d.range.start.line),
        [a, b],
      );
      assert.equal(dups[0]!.severity, 2);
      assert.deepEqual(
        dups.map((d) => d.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line])),
        [[[uri, b]], [[uri, a]]],
      );
    });

    it('adds one hint per day with the totals (split break not counted)', () => {
      const hints = diags.filter((d) => d.severity === 4);
      assert.deepEqual(
        hints.map((h) => h.message),
        [
          'Montag: 12 tours, 107.0 h work on 2 lines.',
          'Dienstag: 4 tours, 32.0 h work on 2 lines.',
          'Freitag: 1 tour, 10.0 h work on 1 line.',
        ],
      );
      assert.equal(rangeText(PROBLEMS, hints[0]!), 'Mo');
    });

    it('a valid full week has no errors or warnings', async () => {
      const d = await client.open('file:///work/forecast_template.txt', FORECAST_LANGUAGE_ID, TEMPLATE);
      assert.deepEqual(
        d.filter((x) => x.severity !== 4),
        [],
      );
      assert.equal(d.filter((x) => x.severity === 4).length, 7);
    });

    it('re-validates after an edit', async () => {
      const fixed = await client.replace(uri, 'Mo 06:00-14:00\n');
      assert.deepEqual(
        fixed.map((d) => d.code),
        ['DAY_TOTAL'],
      );
      const broken = await client.replace(uri, 'Mo 06:00-14:00\nMo 25:00-26:00\n');
      assert.deepEqual(
        broken.filter((d) => d.severity === 1).map((d) => [d.code, d.range.start.line]),
        [
          ['INVALID_HOUR', 1],
          ['INVALID_HOUR', 1],
        ],
      );
      await client.replace(uri, PROBLEMS);
    });

    it('clears the diagnostics when the document closes', async () => {
      const uri2 = 'file:///work/closing.forecast';
      const open = await client.open(uri2, FORECAST_LANGUAGE_ID, 'Montag\n');
      assert.equal(open.length, 1);
      assert.deepEqual(await client.close(uri2), []);
    });
  });

  describe('hover', () => {
    const uri = 'file:///work/hover.forecast';
    const text =
      'Di 06:00-10:00 + 14:00-18:00 2 Fahrer\nDo 22:00-06:00 2 Fahrer Depot nord\nMo 99:00-10:00\n# note\n';
    before(() => client.open(uri, FORECAST_LANGUAGE_ID, text));

    it('a split shift: duration, work without the break, count, canonical form', async () => {
      const h = hoverText(await client.hover(uri, 0, 5));
      assert.match(h, /\| Duration \| 12 h \(06:00–10:00 \+ 14:00–18:00\) \|/);
      assert.match(h, /\| Work \| 8 h per tour \(split break of 4 h not counted\) \|/);
      assert.match(h, /\| Count \| 2 tours · 16\.0 h work in total \|/);
      assert.match(h, /\| Crosses midnight \| no \|/);
      assert.match(h, /Canonical: `Di 06:00-10:00 \+ 14:00-18:00 2 Fahrer`/);
    });

    it('a night tour: crosses midnight and ends the next day; depot canonical', async () => {
      const h = hoverText(await client.hover(uri, 1, 0));
      assert.match(h, /\| Crosses midnight \| yes — ends Fr 06:00 \|/);
      assert.match(h, /\| Duration \| 8 h \(22:00–06:00\) \|/);
      assert.match(h, /Canonical: `Do 22:00-06:00 2 Fahrer Depot Nord`/);
    });

    it('a duplicated tour names the other lines', async () => {
      const line = lineOf(PROBLEMS, 'Di 06:00-14:00 2 Fahrer Depot Nord');
      const h = hoverText(await client.hover('file:///work/problems.forecast', line, 0));
      assert.match(h, new RegExp(`\\| Duplicate \\| same tour on lines ${line + 1}, ${line + 2} \\|`));
    });

    it('an invalid line explains the code under the cursor; a comment has no hover', async () => {
      assert.match(hoverText(await client.hover(uri, 2, 4)), /^\*\*INVALID_HOUR\*\* \(FAIL\)/);
      assert.equal(await client.hover(uri, 3, 2), null);
    });
  });

  describe('completion', () => {
    const uri = 'file:///work/complete.forecast';
    const text =
      'Mo 06:00-14:00 Depot Nord\nDi 06:00-14:00 Depot west\n\nMi 06:00-14:00 \nMi 06:00-14:00 Depot \nMi 06:00-14:00 3 \n# ';
    before(() => client.open(uri, FORECAST_LANGUAGE_ID, text));

    it('offers the day names at the start of a line', async () => {
      const l = labels(await client.completion(uri, 2, 0));
      assert.deepEqual(l.slice(0, 4), ['Mo', 'Montag', 'Di', 'Dienstag']);
      assert.equal(l.length, 14);
    });

    it('offers Fahrer, Depot and the used depots after the time range', async () => {
      const l = labels(await client.completion(uri, 3, 15));
      assert.deepEqual(l, ['Fahrer', 'Depot', 'Depot Nord', 'Depot West']);
    });

    it('offers the depots already used after "Depot"', async () => {
      assert.deepEqual(labels(await client.completion(uri, 4, 21)), ['Nord', 'West']);
    });

    it('sorts Fahrer first after a count, and offers nothing in a comment', async () => {
      const items = await client.completion(uri, 5, 17);
      const list = (Array.isArray(items) ? items : (items?.items ?? [])) as CompletionItem[];
      const sorted = [...list].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
      assert.equal(sorted[0]!.label, 'Fahrer');
      assert.deepEqual(labels(await client.completion(uri, 6, 2)), []);
    });
  });

  describe('symbols, formatting, code lens, summary', () => {
    const uri = 'file:///work/week.forecast';
    before(() => client.open(uri, FORECAST_LANGUAGE_ID, TEMPLATE));

    it('one symbol per day, Monday first, with the tours as children', async () => {
      const symbols = (await client.symbols(uri)) as DocumentSymbol[];
      assert.deepEqual(
        symbols.map((s) => s.name),
        [
          'Mo — Montag',
          'Di — Dienstag',
          'Mi — Mittwoch',
          'Do — Donnerstag',
          'Fr — Freitag',
          'Sa — Samstag',
          'So — Sonntag',
        ],
      );
      const mo = symbols[0]!;
      assert.equal(mo.children?.length, 5);
      assert.equal(mo.children?.[0]?.name, 'Mo 06:00-14:00');
      assert.equal(mo.detail, '16 tours, 128.0 h');
      assert.equal(mo.range.start.line, lineOf(TEMPLATE, 'Mo 06:00-14:00'));
      assert.equal(mo.range.end.line, lineOf(TEMPLATE, 'Mo 14:00-22:00 4 Fahrer'));
    });

    it('formats to the canonical form and is idempotent', async () => {
      const messy =
        '  Mo   6:00-14:00  3   driver   depot   nord   # early\nDi 8:00 - 16:00 1 Fahrer\n#c   \n   \nbogus line  \n';
      const u = 'file:///work/messy.forecast';
      await client.open(u, FORECAST_LANGUAGE_ID, messy);
      const edits = (await client.format(u)) ?? [];
      const formatted = applyEdits(messy, edits);
      assert.equal(
        formatted,
        'Mo 06:00-14:00 3 Fahrer Depot Nord # early\nDi 08:00-16:00\n#c\n\nbogus line\n',
      );
      await client.replace(u, formatted);
      assert.deepEqual(await client.format(u), []);
    });

    it('code lenses at the top: Check (with the verdict) and Solve in sandbox', async () => {
      const lenses = (await client.codeLens(uri)) ?? [];
      assert.deepEqual(
        lenses.map((l) => [l.range.start.line, l.command?.command, l.command?.arguments]),
        [
          [0, COMMANDS.forecastCheck, [uri]],
          [0, COMMANDS.forecastSolve, [uri]],
        ],
      );
      assert.equal(lenses[0]!.command?.title, 'Check: PASS · 72 tours · 0 failed, 0 warned');
    });

    it('the Solve lens of a FAIL forecast says it is blocked and names the failing lines', async () => {
      const u = 'file:///work/blocked.forecast';
      await client.open(u, FORECAST_LANGUAGE_ID, 'Mo 06:00-14:00\nFr 25:00-14:00 3 Fahrer\nXx 06:00-10:00\n');
      const lenses = (await client.codeLens(u)) ?? [];
      assert.equal(lenses[1]!.command?.title, 'Solve blocked: 2 lines FAIL (line 2, 3)');
      const s = await client.connection.sendRequest(forecastSummaryRequest, { uri: u });
      assert.deepEqual(s?.failedLines, [2, 3]);
    });

    it('reads the CSV form through the engine parser; a week that does not exist is not offered', async () => {
      const u = 'file:///work/forecast_ci.csv';
      const csv = readFileSync(path.resolve(__dirname, '../../fixtures/roster/forecast_ci_test.csv'), 'utf8');
      const diags = await client.open(u, FORECAST_LANGUAGE_ID, csv);
      assert.deepEqual(
        diags.filter((d) => d.severity === 1),
        [],
      );
      const s = await client.connection.sendRequest(forecastSummaryRequest, { uri: u });
      assert.equal(s?.verdict, 'PASS');
      assert.ok((s?.tours ?? 0) > 50);
      const bad = await client.open(
        'file:///work/bad.csv',
        FORECAST_LANGUAGE_ID,
        'day,start_time,end_time,location,qualifications\nMon,25:00,14:00,Vienna,\n',
      );
      assert.deepEqual(
        bad.map((d) => [d.range.start.line, d.code]),
        [[1, 'INVALID_HOUR']],
      );
      const w = 'file:///work/w53.forecast';
      await client.open(w, FORECAST_LANGUAGE_ID, '# Week: 2025-W53\nMo 06:00-14:00\n');
      assert.equal((await client.connection.sendRequest(forecastSummaryRequest, { uri: w }))?.week, null);
    });

    it('answers the summary request', async () => {
      const s = await client.connection.sendRequest(forecastSummaryRequest, { uri });
      assert.ok(s);
      assert.equal(s.verdict, 'PASS');
      assert.equal(s.tours, 72);
      assert.equal(s.tourLines, 23);
      assert.equal(s.failed, 0);
      assert.equal(s.week, null);
      assert.equal(s.days.length, 7);
      assert.match(s.inputHash, /^[0-9a-f]{64}$/);
      assert.equal(s.message, 'week.forecast: PASS — 72 tours on 23 lines; 0 failed, 0 warned.');
      assert.equal(
        await client.connection.sendRequest(forecastSummaryRequest, { uri: 'file:///nope.forecast' }),
        null,
      );
    });

    it('reads the week from the header comment', async () => {
      const s = await client.connection.sendRequest(forecastSummaryRequest, {
        uri: 'file:///work/problems.forecast',
      });
      assert.equal(s?.week, '2026-W03');
      assert.equal(s?.verdict, 'FAIL');
    });
  });

  describe('quick fixes', () => {
    const uri = 'file:///work/fix.forecast';
    let diags: Diagnostic[];
    before(async () => {
      diags = await client.open(uri, FORECAST_LANGUAGE_ID, PROBLEMS);
    });
    const actionsOn = async (line: string, code?: string) => {
      const n = lineOf(PROBLEMS, line);
      const ds = diags.filter((d) => d.range.start.line === n && (!code || d.code === code));
      return ((await client.codeActions(
        uri,
        { start: { line: n, character: 0 }, end: { line: n, character: 0 } },
        ds,
      )) ?? []) as CodeAction[];
    };
    const apply = (a: CodeAction) => applyEdits(PROBLEMS, a.edit?.changes?.[uri] ?? []);

    it('English day name -> German abbreviation', async () => {
      const [a] = await actionsOn('Monday 06:00-14:00', 'MISSING_DAY');
      assert.equal(a?.title, 'Replace "Monday" with "Mo"');
      assert.equal(a?.isPreferred, true);
      assert.equal(apply(a!).split('\n')[lineOf(PROBLEMS, 'Monday 06:00-14:00')], 'Mo 06:00-14:00');
    });

    it('misspelt day name -> German abbreviation', async () => {
      const [a] = await actionsOn('Montg 06:00-14:00', 'MISSING_DAY');
      assert.equal(a?.title, 'Replace "Montg" with "Mo"');
    });

    it('no day fix when the line has no day word at all', async () => {
      assert.deepEqual(await actionsOn('06:00-14:00', 'MISSING_DAY'), []);
    });

    it('removes the later duplicate line, or the later ones from the first', async () => {
      const [later] = await actionsOn('Di 6:00-14:00 2 driver Depot nord', 'DUPLICATE_TOUR');
      assert.equal(
        later?.title,
        `Remove duplicate line ${lineOf(PROBLEMS, 'Di 6:00-14:00 2 driver Depot nord') + 1}`,
      );
      const after = apply(later!);
      assert.equal(after.split('\n').length, PROBLEMS.split('\n').length - 1);
      assert.ok(!after.includes('2 driver Depot nord'));
      const [first] = await actionsOn('Di 06:00-14:00 2 Fahrer Depot Nord', 'DUPLICATE_TOUR');
      assert.match(first?.title ?? '', /^Remove the duplicate line \d+$/);
      assert.equal(apply(first!), after);
    });

    it('zero-pads a malformed time (HHMM, H:M)', async () => {
      const [a] = await actionsOn('Mi 0600-1400');
      assert.equal(a?.title, 'Write "0600" as "06:00"');
      const [b] = await actionsOn('Mo 6:0-14:00', 'INVALID_TIME_FORMAT');
      assert.equal(b?.title, 'Write "6:0" as "06:00"');
    });

    it('zero-pads valid unpadded times on the line and in the file', async () => {
      const acts = await actionsOn('Di 6:00-14:00 2 driver Depot nord', 'NONE');
      assert.deepEqual(
        acts.map((a) => a.title),
        ['Zero-pad the times on this line'],
      );
      const line = lineOf(PROBLEMS, 'Di 6:00-14:00 2 driver Depot nord');
      assert.equal(apply(acts[0]!).split('\n')[line], 'Di 06:00-14:00 2 driver Depot nord');
    });
  });
});
