// The light catalog activation registers from, against the definitions that load on first use and
// the commands package.json contributes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROCEDURES } from '../../../src/procedures/catalog';
import { DEFINITIONS } from '../../../src/procedures/definitions';

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));
const contributed = new Map<string, string>(
  manifest.contributes.commands.map((c: { command: string; title: string }) => [c.command, c.title]),
);

describe('procedures: catalog, definitions and package.json agree', () => {
  it('every catalog entry has a definition, and every definition an entry', () => {
    assert.deepEqual(PROCEDURES.map((p) => p.id).sort(), Object.keys(DEFINITIONS).sort());
  });

  for (const entry of PROCEDURES) {
    it(`${entry.id}: the catalog's title is the definition's and the command's`, () => {
      assert.equal(entry.title, DEFINITIONS[entry.id]!.title);
      assert.equal(contributed.get(entry.id), entry.title);
    });
  }
});
