import assert from 'node:assert/strict';
import * as fc from 'fast-check';
import {
  canonicalJson,
  outputHash,
  outputHashText,
  sha256Hex,
  sortAssignments,
} from '../../../src/roster/hash';

describe('roster output hash', () => {
  it('writes exactly the canonical JSON of {config_hash, sorted assignments} (property)', () => {
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 8 });
    const assignment = fc.record({
      driver_id: maybe(fc.string()),
      day: maybe(fc.oneof(fc.integer({ min: 1, max: 7 }), fc.constant(Number.POSITIVE_INFINITY))),
      tour_id: maybe(fc.string()),
    });
    fc.assert(
      fc.property(fc.array(assignment, { maxLength: 12 }), maybe(fc.string()), (assignments, configHash) => {
        // The definition (CONTRACT.md): each assignment contributes exactly {driver_id, day, tour_id}.
        const reference = canonicalJson({
          config_hash: configHash,
          assignments: sortAssignments(assignments as never).map(({ driver_id, day, tour_id }) => ({
            driver_id,
            day,
            tour_id,
          })),
        });
        assert.equal(outputHashText(configHash as string, assignments as never), reference);
      }),
      { numRuns: 300 },
    );
  });

  it('is the sha256 of that text', () => {
    const assignments = [
      { driver_id: 'D002', day: 1, tour_id: 'T0002' },
      { driver_id: 'D001', day: 2, tour_id: 'T0001' },
    ];
    assert.equal(outputHash('abc', assignments), sha256Hex(outputHashText('abc', assignments)));
    assert.equal(
      outputHashText('abc', assignments),
      '{"assignments":[{"day":2,"driver_id":"D001","tour_id":"T0001"},{"day":1,"driver_id":"D002","tour_id":"T0002"}],"config_hash":"abc"}',
    );
  });
});
