import assert from 'node:assert/strict';
import { classify, type Symptom } from '../../../src/procedures/flows/sp002';

const sym = (...ids: Symptom['id'][]): Symptom[] => ids.map((id) => ({ id, text: id }));
const dup = { duplicates: [{ tour: 'Mo 06:00-14:00', lines: [3, 9], depot: null, count: 1 }], tourCount: 10 };

describe('SP-002 classification', () => {
  it('Overlap FAIL with duplicate lines in the input is an input issue, even when Fatigue/Rest fail with it', () => {
    const r = classify({ symptoms: sym('overlap', 'rules'), duplicates: dup });
    assert.equal(r.c, 'input');
    assert.match(r.why.join(' '), /duplicate tours in the input.*follow from them/);
  });
  it('failed hard rules without duplicates in the input point at the solver', () => {
    assert.equal(
      classify({ symptoms: sym('overlap', 'rules'), duplicates: { duplicates: [], tourCount: 10 } }).c,
      'solver',
    );
    assert.equal(classify({ symptoms: sym('rules') }).c, 'solver');
  });
  it('a hash mismatch is a solver issue; a plain overlap an input issue', () => {
    assert.equal(classify({ symptoms: sym('hash', 'overlap'), duplicates: dup }).c, 'solver');
    assert.equal(classify({ symptoms: sym('overlap') }).c, 'input');
  });
});
