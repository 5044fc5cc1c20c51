import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as fc from 'fast-check';
import {
  FORECAST_ISSUES,
  type ForecastIssueCode,
  forecastInputHash,
  parseForecast,
  parseForecastCsv,
  parseForecastJson,
  parseForecastLine,
  suggestDay,
} from '../../../src/roster/forecast';

const DATA = path.resolve(__dirname, '../../fixtures/roster');
const data = (p: string) => readFileSync(path.join(DATA, p), 'utf8');
const codes = (text: string) => parseForecastLine(text).issues.map((i) => i.code);

describe('roster forecast parser', () => {
  describe('valid lines', () => {
    it('separates tokens on any whitespace (tab, no-break and ideographic spaces) and drops a CR', () => {
      for (const sep of [' ', '\t', '\u00a0', '\u3000', ' \u2009 ']) {
        const l = parseForecastLine(
          `Mo${sep}06:00-14:00${sep}+${sep}15:00-17:00${sep}3${sep}Fahrer${sep}Depot${sep}nord\r`,
        );
        assert.equal(l.canonical, 'Mo 06:00-14:00 + 15:00-17:00 3 Fahrer Depot Nord', JSON.stringify(sep));
        assert.equal(l.verdict, 'PASS');
      }
      assert.deepEqual(codes('Mo\u008506:00-14:00'), ['MISSING_DAY']);
      assert.deepEqual(codes('Mo 6:5-14:00'), ['INVALID_TIME_FORMAT']);
      assert.deepEqual(codes('Mo 06:00:00-14:00'), ['INVALID_TIME_FORMAT']);
      assert.deepEqual(codes('Mo 123:00-14:00'), ['INVALID_TIME_FORMAT']);
      assert.deepEqual(codes('Mo 24:00-14:00'), ['INVALID_HOUR']);
    });

    it('reads day, times, count and depot into the tour model and a canonical line', () => {
      const l = parseForecastLine('Mo 06:00-14:00 5 Fahrer Depot Nord', 3);
      assert.equal(l.verdict, 'PASS');
      assert.equal(l.canonical, 'Mo 06:00-14:00 5 Fahrer Depot Nord');
      assert.deepEqual(
        { ...l.tour, parts: l.tour?.parts },
        {
          line: 3,
          day: 1,
          start: 360,
          end: 840,
          parts: [{ start: 360, end: 840 }],
          split: false,
          count: 5,
          depot: 'Nord',
          crossesMidnight: false,
          workMinutes: 480,
          spanMinutes: 480,
        },
      );
    });

    it('canonicalises spacing, H:MM, case and driver words', () => {
      for (const text of [
        'mo   6:00 - 14:00  5 fahrer depot nord',
        'Montag 06:00-14:00 5 Driver Depot NORD',
        'MO 6:00-14:00 5driver Depot nord',
        '  Mo 06:00 -14:00 5 Fahrer Depot Nord  ',
        'Mo 06:00–14:00 5 Fahrer Depot Nord',
      ]) {
        const l = parseForecastLine(text);
        assert.equal(l.verdict, 'PASS', text);
        assert.equal(l.canonical, 'Mo 06:00-14:00 5 Fahrer Depot Nord', text);
      }
    });

    it('reads Montag ... Sonntag and Mo ... So as days 1..7', () => {
      const long = ['Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag', 'Sonntag'];
      const short = ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'];
      long.forEach((d, i) => {
        assert.equal(parseForecastLine(`${d} 08:00-12:00`).tour?.day, i + 1);
        assert.equal(parseForecastLine(`${short[i]} 08:00-12:00`).canonical, `${short[i]} 08:00-12:00`);
      });
    });

    it('unwraps a cross-midnight tour onto the next day', () => {
      const t = parseForecastLine('Do 22:00-06:00 2 Fahrer').tour!;
      assert.equal(t.start, 22 * 60);
      assert.equal(t.end, 30 * 60);
      assert.equal(t.crossesMidnight, true);
      assert.equal(t.workMinutes, 480);
    });

    it('reads a split shift; the break is not work', () => {
      const t = parseForecastLine('Mi 06:00-10:00 + 15:00-19:00').tour!;
      assert.equal(t.split, true);
      assert.deepEqual(t.parts, [
        { start: 360, end: 600 },
        { start: 900, end: 1140 },
      ]);
      assert.equal(t.workMinutes, 480);
      assert.equal(t.spanMinutes, 780);
      assert.equal(parseForecastLine('Mi 06:00-10:00+15:00-19:00').canonical, 'Mi 06:00-10:00 + 15:00-19:00');
    });

    it('defaults the count to 1 and leaves it out of the canonical line', () => {
      assert.equal(parseForecastLine('Fr 08:00-16:00 1 Fahrer').canonical, 'Fr 08:00-16:00');
      assert.equal(parseForecastLine('Fr 08:00-16:00').tour?.count, 1);
    });

    it('keeps long depot names and trailing notes apart from the tour', () => {
      const long = parseForecastLine('Sa 05:00-09:30 3 Fahrer Depot Wien Simmering Zentrallager Ost');
      assert.equal(long.tour?.depot, 'Wien Simmering Zentrallager Ost');
      const note = parseForecastLine('Sa 05:00-09:30 # Kühlware');
      assert.equal(note.verdict, 'PASS');
      assert.equal(note.canonical, 'Sa 05:00-09:30');
    });

    it('treats comments and blank lines as fine', () => {
      const p = parseForecast('# header\n\n   \n# Mo 99:99\nMo 06:00-14:00\n');
      assert.equal(p.verdict, 'PASS');
      assert.deepEqual(
        p.lines.map((l) => l.kind),
        ['comment', 'blank', 'blank', 'comment', 'tour', 'blank'],
      );
      assert.equal(p.tours.length, 1);
    });
  });

  describe('which code wins (CONTRACT.md "Forecast text")', () => {
    it('a valid day as the first word is never MISSING_DAY, whatever follows', () => {
      for (const text of ['Fr -14:00', 'Mi -1:00-14:00', 'Fr 25:00-14:00 3 Fahrer', 'So abc', 'Do 06:00-']) {
        const got = codes(text);
        assert.ok(!got.includes('MISSING_DAY'), `${text}: ${got.join(',')}`);
        assert.equal(parseForecastLine(text).verdict, 'FAIL', text);
      }
      assert.deepEqual(codes('Fri 06:00-14:00'), ['MISSING_DAY']);
    });

    it('a range side that is empty or not clock-like is INVALID_TIME_FORMAT', () => {
      assert.deepEqual(codes('Fr -14:00'), ['INVALID_TIME_FORMAT']);
      assert.deepEqual(codes('Fr 06:00-'), ['INVALID_TIME_FORMAT']);
      assert.deepEqual(codes('Fr 06:00 - abc'), ['INVALID_TIME_FORMAT']);
      assert.deepEqual(codes('Fr früh-spät'), ['INVALID_TIME_FORMAT', 'INVALID_TIME_FORMAT']);
      const l = parseForecastLine('Fr -14:00');
      assert.deepEqual(l.issues[0]!.range, { start: 3, end: 3 }, 'points at the missing start');
    });

    it('a range that does not split into exactly two parts on "-" is INVALID_TIME_RANGE', () => {
      assert.deepEqual(codes('Mi -1:00-14:00'), ['INVALID_TIME_RANGE']);
      assert.deepEqual(codes('Mi 06:00-10:00-14:00'), ['INVALID_TIME_RANGE']);
      assert.deepEqual(codes('Mi 06:00'), ['INVALID_TIME_RANGE']);
    });

    it('a count of 0 passes with zero tours and the line stays in the file', () => {
      const l = parseForecastLine('Mo 06:00-14:00 0 Fahrer');
      assert.equal(l.verdict, 'PASS');
      assert.deepEqual(l.issues, []);
      assert.equal(l.kind, 'tour');
      assert.equal(l.tour?.count, 0);
      const p = parseForecast('Mo 06:00-14:00 0 Fahrer\nDi 06:00-14:00 2 Fahrer');
      assert.equal(p.verdict, 'PASS');
      assert.equal(p.tourCount, 2);
      assert.equal(p.lines.length, 2);
    });
  });

  describe('issue codes', () => {
    const cases: [string, ForecastIssueCode][] = [
      ['06:00-14:00', 'MISSING_DAY'],
      ['Mon 06:00-14:00', 'MISSING_DAY'],
      ['Mo', 'MISSING_TIME_RANGE'],
      ['Montag   ', 'MISSING_TIME_RANGE'],
      ['Mo 06:00', 'INVALID_TIME_RANGE'],
      ['Mo 06:00-14:00-16:00', 'INVALID_TIME_RANGE'],
      ['Mo Depot Nord', 'INVALID_TIME_RANGE'],
      ['Mo 06:00-10:00 +', 'INVALID_TIME_RANGE'],
      ['Mo 07:00-07:00', 'INVALID_TIME_RANGE'],
      ['Mo 0600-1400', 'INVALID_TIME_FORMAT'],
      ['Mo 6.00-14.00', 'INVALID_TIME_FORMAT'],
      ['Mo 6:0-14:00', 'INVALID_TIME_FORMAT'],
      ['Mo 24:00-14:00', 'INVALID_HOUR'],
      ['Mo 06:60-14:00', 'INVALID_MINUTE'],
      ['Mo 06:00-10:00 + 11:00-12:00 + 13:00-14:00', 'INVALID_SPLIT_FORMAT'],
      ['Mo 06:00-10:00 + 10:00-12:00', 'INVALID_SPLIT_FORMAT'],
      ['Mo 06:00-14:00 1000 Fahrer', 'INVALID_COUNT'],
      ['Mo 06:00-14:00 Depot', 'MISSING_DEPOT_NAME'],
      ['Mo 06:00-14:00 11 Fahrer', 'HIGH_COUNT'],
      ['Mo 05:00-22:00', 'EXCESSIVE_WORK_HOURS'],
    ];
    for (const [text, code] of cases) {
      it(`${JSON.stringify(text)} -> ${code} (${FORECAST_ISSUES[code].severity})`, () => {
        const l = parseForecastLine(text);
        assert.ok(codes(text).includes(code), `codes were ${codes(text).join(',')}`);
        assert.equal(l.verdict, FORECAST_ISSUES[code].severity === 'FAIL' ? 'FAIL' : l.verdict);
        for (const i of l.issues) {
          assert.ok(
            i.range.start >= 0 && i.range.start <= i.range.end && i.range.end <= text.length,
            JSON.stringify(i),
          );
          assert.ok(i.message.length > 10);
        }
      });
    }

    it('points ranges at the offending text', () => {
      const l = parseForecastLine('Mo 06:00-25:61');
      const hour = l.issues.find((i) => i.code === 'INVALID_HOUR')!;
      const minute = l.issues.find((i) => i.code === 'INVALID_MINUTE')!;
      assert.equal(l.text.slice(hour.range.start, hour.range.end), '25');
      assert.equal(l.text.slice(minute.range.start, minute.range.end), '61');
      const day = parseForecastLine('Mon 06:00-14:00').issues[0]!;
      assert.equal('Mon 06:00-14:00'.slice(day.range.start, day.range.end), 'Mon');
    });

    it('WARN lines still yield tours; midnight wraps count toward work hours', () => {
      const l = parseForecastLine('So 18:00-11:00');
      assert.equal(l.verdict, 'WARN');
      assert.deepEqual(codes('So 18:00-11:00'), ['EXCESSIVE_WORK_HOURS']);
      assert.equal(l.tour?.workMinutes, 17 * 60);
      assert.equal(parseForecastLine('So 06:00-10:00 + 12:00-23:00').verdict, 'PASS'); // 15 h work
    });

    it('gives the file the worst line verdict', () => {
      assert.equal(parseForecast('Mo 06:00-14:00').verdict, 'PASS');
      assert.equal(parseForecast('Mo 06:00-14:00\nMo 06:00-14:00 12 Fahrer').verdict, 'WARN');
      assert.equal(parseForecast('Mo 06:00-14:00 12 Fahrer\nXy 1').verdict, 'FAIL');
    });
  });

  describe('file level', () => {
    it('hashes the canonical tour lines joined by newlines', () => {
      const p = parseForecast('# c\nmo 6:00-14:00 depot nord\n\nDi 08:00-16:00 2 Driver');
      assert.equal(p.inputHash, forecastInputHash(['Mo 06:00-14:00 Depot Nord', 'Di 08:00-16:00 2 Fahrer']));
      assert.equal(
        p.inputHash,
        parseForecast('Mo 06:00-14:00 Depot Nord\nDi 08:00-16:00 2 Fahrer').inputHash,
      );
      assert.notEqual(
        p.inputHash,
        parseForecast('Mo 06:00-14:00 Depot Sued\nDi 08:00-16:00 2 Fahrer').inputHash,
      );
    });

    it('reports identical tour lines with both line numbers', () => {
      const p = parseForecast('Mo 06:00-14:00 Depot Nord\nDi 06:00-14:00\nmo 6:00-14:00 depot NORD');
      assert.deepEqual(p.duplicates, [{ canonical: 'Mo 06:00-14:00 Depot Nord', lines: [1, 3] }]);
      assert.equal(p.tourCount, 3);
    });

    it('reads the template week', () => {
      const p = parseForecast(data('forecast_template.txt'));
      assert.equal(p.verdict, 'PASS');
      assert.equal(p.tourCount, 72);
      assert.ok(p.tours.some((t) => t.split) && p.tours.some((t) => t.crossesMidnight));
    });
  });

  describe('CSV and JSON forms', () => {
    it('reads the CI CSV (English day abbreviations, location as depot)', () => {
      const p = parseForecastCsv(data('forecast_ci_test.csv'));
      assert.equal(p.verdict, 'PASS');
      assert.equal(p.tourCount, 89);
      assert.equal(p.lines[1]!.canonical, 'Mo 04:45-09:15 Depot Vienna');
      assert.deepEqual([...new Set(p.tours.map((t) => t.day))], [1, 2, 3, 4, 5, 6]);
    });

    it('reports bad CSV rows with codes over the whole row', () => {
      const p = parseForecastCsv(
        'day,start_time,end_time,location,qualifications\nMon,25:00,09:00,Vienna,\nFoo,08:00,09:00,,',
      );
      assert.equal(p.verdict, 'FAIL');
      assert.deepEqual(
        p.lines[1]!.issues.map((i) => i.code),
        ['INVALID_HOUR'],
      );
      assert.deepEqual(
        p.lines[2]!.issues.map((i) => i.code),
        ['MISSING_DAY'],
      );
      assert.deepEqual(p.lines[1]!.issues[0]!.range, { start: 0, end: 'Mon,25:00,09:00,Vienna,'.length });
    });

    it('reads the golden JSON tours with their ids and config', () => {
      const p = parseForecastJson(data('golden/gurkerl_small/input.json'));
      assert.equal(p.verdict, 'PASS');
      assert.equal(p.tours.length, 10);
      assert.equal(p.tours[0]!.sourceId, '1');
      assert.equal(p.tours[0]!.start, 8 * 60);
      assert.equal(p.config?.max_weekly_hours, 55);
    });

    it('turns broken JSON into a FAIL line instead of throwing', () => {
      const p = parseForecastJson('{"tours": [');
      assert.equal(p.verdict, 'FAIL');
      assert.equal(parseForecastJson({ tours: [{ day: 9, start: '08:00', end: '09:00' }] }).verdict, 'FAIL');
    });
  });

  describe('day suggestions', () => {
    it('maps English and misspelt day names to German abbreviations', () => {
      const cases: [string, string | undefined][] = [
        ['Mon', 'Mo'],
        ['Tuesday', 'Di'],
        ['wed', 'Mi'],
        ['Thu', 'Do'],
        ['Friday', 'Fr'],
        ['Sat', 'Sa'],
        ['Sunday', 'So'],
        ['Montg', 'Mo'],
        ['Dienstga', 'Di'],
        ['Mittwoh', 'Mi'],
        ['Mo.', 'Mo'],
        ['banana', undefined],
        ['06:00', undefined],
      ];
      for (const [w, want] of cases) assert.equal(suggestDay(w), want, w);
    });

    it('puts the suggestion in the MISSING_DAY message', () => {
      assert.match(parseForecastLine('Tuesday 06:00-14:00').issues[0]!.message, /did you mean "Di"/);
    });
  });

  describe('properties', () => {
    it('never throws on random input, and every FAIL line has a FAIL code', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 80 }), (s) => {
          const p = parseForecast(s);
          for (const l of p.lines) {
            if (l.verdict === 'FAIL') assert.ok(l.issues.some((i) => i.severity === 'FAIL'));
            if (l.kind === 'invalid') assert.ok(l.issues.length > 0, JSON.stringify(l.text));
            for (const i of l.issues) assert.ok(i.range.end <= l.text.length);
          }
        }),
        { numRuns: 400 },
      );
    });

    it('never throws on random token soup, and every line without a tour has a code', () => {
      const token = fc.constantFrom(
        'Mo',
        'Montag',
        'So',
        'Mon',
        'xx',
        '06:00',
        '6:5',
        '24:00',
        '12:60',
        '-',
        '+',
        '06:00-14:00',
        '22:00-06:00',
        '5',
        '0',
        '12',
        'Fahrer',
        'driver',
        'Depot',
        'Nord',
        '#',
        '–',
        ':',
        '99',
      );
      fc.assert(
        fc.property(
          fc.array(token, { minLength: 1, maxLength: 8 }),
          fc.constantFrom(' ', '  ', '\t'),
          (toks, sep) => {
            const l = parseForecastLine(toks.join(sep));
            if (l.kind === 'invalid') assert.ok(l.issues.length > 0, l.text);
            if (l.kind === 'tour') {
              assert.ok(l.tour && l.canonical);
              assert.equal(
                parseForecastLine(l.canonical!).canonical,
                l.canonical,
                'canonical form is a fixed point',
              );
            }
          },
        ),
        { numRuns: 800 },
      );
    });

    it('round-trips generated valid lines through the canonical form', () => {
      const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }));
      const fmt = ([h, m]: [number, number]) => `${h}:${String(m).padStart(2, '0')}`;
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 6 }),
          time,
          time,
          fc.integer({ min: 1, max: 10 }),
          (d, a, b, n) => {
            fc.pre(a[0] * 60 + a[1] !== b[0] * 60 + b[1]);
            const day = ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'][d]!;
            const l = parseForecastLine(`${day} ${fmt(a)}-${fmt(b)} ${n} fahrer`);
            assert.notEqual(l.verdict, 'FAIL');
            assert.equal(l.tour!.day, d + 1);
            assert.equal(l.tour!.count, n);
            assert.equal(parseForecastLine(l.canonical!).canonical, l.canonical);
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});
