// TextMate grammar tests through vscode-tmgrammar-test's library (so mocha counts them with the other
// unit tests): scope assertions per fixture line, and token snapshots of sample files.
// Set UPDATE_GRAMMAR_SNAPSHOTS=1 to (re)write the .snap files after a deliberate grammar change.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRegistry } from 'vscode-tmgrammar-test/dist/common/index';
import { getVSCodeTokens, renderSnap } from 'vscode-tmgrammar-test/dist/snapshot/index';
import { parseGrammarTestCase, runGrammarTestCase } from 'vscode-tmgrammar-test/dist/unit/index';

const root = path.resolve(__dirname, '../../..');
const fixtures = path.join(root, 'test/fixtures/language');
const grammarDir = path.join(fixtures, 'grammar');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

const GRAMMARS = [
  {
    language: 'solvereign-forecast',
    scopeName: 'source.solvereign-forecast',
    path: path.join(root, 'syntaxes/solvereign-forecast.tmLanguage.json'),
  },
  {
    language: 'solvereign-log',
    scopeName: 'text.log.solvereign',
    path: path.join(root, 'syntaxes/solvereign-log.tmLanguage.json'),
  },
];

describe('TextMate grammars', () => {
  const registry = createRegistry(GRAMMARS);

  it('package.json contributes both grammars with these scope names and paths', () => {
    const contributed = (pkg.contributes?.grammars ?? []).map(
      (g: { language: string; scopeName: string; path: string }) => [
        g.language,
        g.scopeName,
        path.join(root, g.path),
      ],
    );
    assert.deepEqual(
      contributed,
      GRAMMARS.map((g) => [g.language, g.scopeName, g.path]),
    );
  });

  describe('scope assertions', () => {
    const files = readdirSync(grammarDir).filter((f) => f.includes('.test.'));
    it('has assertion files', () => assert.ok(files.length >= 2, files.join(', ')));
    for (const file of files) {
      const testCase = parseGrammarTestCase(readFileSync(path.join(grammarDir, file), 'utf8'));
      // One mocha test per asserted source line, so a failure names the line.
      for (const assertion of testCase.assertions) {
        const src = testCase.source[assertion.sourceLineNumber] ?? '';
        it(`${file}:${assertion.testCaseLineNumber + 1} ${src.slice(0, 50)}`, async () => {
          const failures = await runGrammarTestCase(registry, {
            ...testCase,
            assertions: [assertion],
          });
          assert.deepEqual(
            failures.map((f) => ({
              at: `${f.start}-${f.end}`,
              missing: f.missing,
              unexpected: f.unexpected,
              actual: f.actual,
            })),
            [],
          );
        });
      }
    }
  });

  describe('snapshots', () => {
    const samples = [
      { file: 'forecast_template.txt', scope: 'source.solvereign-forecast' },
      { file: 'problems.forecast', scope: 'source.solvereign-forecast' },
      { file: 'api.log', scope: 'text.log.solvereign' },
    ];
    for (const { file, scope } of samples) {
      it(`${file} tokenizes as in ${file}.snap`, async () => {
        const source = readFileSync(path.join(fixtures, file), 'utf8');
        const actual = renderSnap(await getVSCodeTokens(registry, scope, source));
        const snap = path.join(grammarDir, `${file}.snap`);
        if (process.env.UPDATE_GRAMMAR_SNAPSHOTS === '1' || !existsSync(snap)) writeFileSync(snap, actual);
        assert.equal(actual, readFileSync(snap, 'utf8'));
      });
    }
  });
});
