// The JSON schemas contributed through `contributes.jsonValidation`: the files exist, the shipped
// copies accept SOLVEREIGN's example state files, and reject what the contract forbids.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const root = path.resolve(__dirname, '../../..');
const read = (p: string) => JSON.parse(readFileSync(path.join(root, p), 'utf8'));
const pkg = read('package.json');

function validator() {
  // strict: false because SOLVEREIGN's schemas carry a top-level "version" keyword.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // The wrapper refers to its sibling by relative path, as VS Code resolves it next to the wrapper.
  ajv.addSchema(read('schemas/incident.schema.json'), 'incident.schema.json');
  return ajv;
}

describe('contributed JSON schemas', () => {
  const entries: { fileMatch: string[]; url: string }[] = pkg.contributes?.jsonValidation ?? [];

  it('jsonValidation covers the incidents file, drift baselines and tenant status, with shipped files', () => {
    assert.deepEqual(
      entries.map((e) => [e.fileMatch, e.url]),
      [
        [['**/.claude/state/active-incidents.json'], './schemas/active-incidents.schema.json'],
        [['**/state/drift-baselines.json'], './schemas/drift-baselines.schema.json'],
        [['**/state/tenant-status.json'], './schemas/tenant-status.schema.json'],
      ],
    );
    for (const e of entries) assert.ok(existsSync(path.join(root, e.url)), e.url);
  });

  const cases: [schema: string, fixture: string][] = [
    ['schemas/active-incidents.schema.json', 'test/fixtures/language/state/active-incidents.json'],
    ['schemas/active-incidents.schema.json', 'test/fixtures/workspace/.claude/state/active-incidents.json'],
    ['schemas/drift-baselines.schema.json', 'test/fixtures/language/state/drift-baselines.json'],
    ['schemas/tenant-status.schema.json', 'test/fixtures/language/state/tenant-status.json'],
  ];
  for (const [schema, fixture] of cases) {
    it(`${fixture} is valid against ${path.basename(schema)}`, () => {
      const validate = validator().compile(read(schema));
      assert.equal(validate(read(fixture)), true, JSON.stringify(validate.errors));
    });
  }

  it('the incidents wrapper rejects a bad incident id, severity and extra properties', () => {
    const validate = validator().compile(read('schemas/active-incidents.schema.json'));
    const good = read('test/fixtures/language/state/active-incidents.json');
    const bad = structuredClone(good);
    bad.incidents[0].id = 'INC-1';
    bad.incidents[0].severity = 'S9';
    bad.incidents[0].extra = true;
    assert.equal(validate(bad), false);
    const paths = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`).sort();
    assert.deepEqual(paths, [
      '/incidents/0 additionalProperties',
      '/incidents/0/id pattern',
      '/incidents/0/severity enum',
    ]);
    assert.equal(validate({ incidents: [], more: 1 }), false);
    assert.equal(validate({}), false);
  });
});
